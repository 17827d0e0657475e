"""A site's plugin with a bug in its page hook."""

from briefgen.plugins import hookimpl


@hookimpl
def briefgen_pages(site):
    return [site.briefs[0].no_such_field]
