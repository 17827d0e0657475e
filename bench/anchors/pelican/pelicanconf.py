"""Pelican configured for the pages briefgen's benchmark compares."""

# One page per brief, topic pages of 20 briefs (Pelican's tags), a home page and one feed;
# the runner writes content/ and topics.json beside this file.
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

SITENAME = "Benchmark briefings"
SITEURL = "https://example.org/briefings"
RELATIVE_URLS = False
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PATH = str(HERE / "content")
OUTPUT_PATH = str(HERE / "output")
ARTICLE_PATHS = ["briefs"]
PAGE_PATHS = []
STATIC_PATHS = []
THEME = str(HERE / "theme")
THEME_STATIC_DIR = "static"
PLUGINS = []

# Rebuilds reuse parsed content, as a site that is built often would.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = str(HERE / "cache")

ARTICLE_URL = "briefs/{slug}/"
ARTICLE_SAVE_AS = "briefs/{slug}/index.html"
TAG_URL = "topics/{slug}/"
TAG_SAVE_AS = "topics/{slug}/index.html"
TAGS_URL = "topics/"
TAGS_SAVE_AS = "topics/index.html"

# Pages briefgen's comparison does not include.
DIRECT_TEMPLATES = ["index", "tags"]
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = ""

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"tag": None}  # the home page shows the latest 20 without pages
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = 20
FEED_ATOM = None
FEED_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},  # footnotes and tables among others
        "markdown.extensions.meta": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {},  # heading ids
    },
    "output_format": "html5",
}

TOPICS = {topic["slug"]: topic for topic in json.loads((HERE / "topics.json").read_text("utf-8"))}
