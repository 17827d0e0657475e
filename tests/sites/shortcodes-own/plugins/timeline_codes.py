"""A desk's own shortcode drawn by a function: {{< milestone 2025-02-04 "label" source=id >}}."""

from html import escape

from briefgen.plugins import Param, Shortcode, ShortcodeProblem, hookimpl


def _prepare(call):
    if call.args["date"] < "2025":
        raise ShortcodeProblem("a milestone of this story is in 2025 or later", arg="date")
    return {}


def _render(call, body_html):
    number, _ = call.args.get("source", (None, None))
    cited = f' <span class="milestone-source">[{number}]</span>' if number else ""
    date, label = escape(call.args["date"]), escape(call.args["label"])
    return f'<p class="milestone"><time datetime="{date}">{date}</time> {label}{cited}</p>\n'


class Plugin:
    @hookimpl
    def briefgen_shortcodes(self):
        return [
            Shortcode(
                "milestone",
                params=(
                    Param("date", "date", required=True, positional=True),
                    Param("label", "text", required=True, positional=True),
                    Param("source", "source"),
                ),
                prepare=_prepare,
                render=_render,
            )
        ]
