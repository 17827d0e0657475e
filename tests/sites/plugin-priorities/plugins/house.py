"""The desk's house style, as a site's own plugin: words the desk does not print, and a
'house' filter that marks a brief as checked."""

from briefgen.plugins import Problem, Setting, hookimpl


class Plugin:
    settings = {"banned": Setting(list, [], "words the desk does not print")}

    def __init__(self, settings):
        self.banned = [str(word).lower() for word in settings["banned"]]

    @hookimpl
    def briefgen_site(self, site):
        return {"checked": len(site.briefs)}

    @hookimpl
    def briefgen_check(self, site):
        for brief in site.briefs:
            words = brief.body.html.lower().split()
            for word in self.banned:
                if word in words:
                    yield Problem(brief.source_path, f"house style: {word!r} is not printed")

    @hookimpl
    def briefgen_template_globals(self):
        return {"house_note": "Checked against the house style."}
