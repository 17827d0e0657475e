"""Shortcodes with every kind of argument, for the mistakes a desk makes with them."""

from briefgen.plugins import Param, Shortcode, ShortcodeProblem, hookimpl


def _prepare(call):
    if call.args.get("width", 0) > 2000:
        raise ShortcodeProblem("is wider than any page: 2000 at most", arg="width")
    return {}


class Plugin:
    @hookimpl
    def briefgen_shortcodes(self):
        return [
            Shortcode(
                "clip",
                params=(
                    Param("src", "url", required=True, positional=True),
                    Param("title", "text", required=True),
                    Param("width", "int"),
                    Param("loop", "bool"),
                    Param("on", "date"),
                    Param("file", "file"),
                    Param("poster", "picture"),
                    Param("source", "source"),
                    Param("fit", "text", choices=("cover", "contain")),
                ),
                prepare=_prepare,
                render=lambda call, body: "<p>clip</p>\n",
            ),
            Shortcode("boxed", body="required", render=lambda call, body: body),
        ]
