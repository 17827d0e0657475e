// Eleventy configured for the pages briefgen's benchmark compares: one page per brief, topic
// pages of 20 briefs, a home page and one feed. The runner writes src/briefs/ and
// src/_data/topics.json beside these templates.
import fs from "node:fs";
import footnote from "markdown-it-footnote";

const PER_PAGE = 20;
const BASE_PATH = "/briefings";

function newestFirst(a, b) {
  return b.date - a.date || a.fileSlug.localeCompare(b.fileSlug);
}

export default function (eleventyConfig) {
  const topics = JSON.parse(fs.readFileSync("src/_data/topics.json", "utf8"));
  const titles = new Map(topics.map((topic) => [topic.slug, topic.title]));

  eleventyConfig.amendLibrary("md", (md) => {
    md.set({ typographer: true });
    md.use(footnote);
  });
  eleventyConfig.addPassthroughCopy({ "src/static": "static" });

  eleventyConfig.addCollection("briefs", (api) =>
    api.getFilteredByGlob("src/briefs/*.md").sort(newestFirst),
  );
  // One entry per topic page: Eleventy paginates over this collection, one page each.
  eleventyConfig.addCollection("topicPages", (api) => {
    const briefs = api.getFilteredByGlob("src/briefs/*.md").sort(newestFirst);
    const pages = [];
    for (const topic of topics) {
      const items = briefs.filter((brief) => brief.data.topics.includes(topic.slug));
      const total = Math.max(1, Math.ceil(items.length / PER_PAGE));
      for (let number = 1; number <= total; number++) {
        const slice = items.slice((number - 1) * PER_PAGE, number * PER_PAGE);
        pages.push({ topic, number, total, count: items.length, items: slice });
      }
    }
    return pages;
  });

  // The site's subpath before a root-relative path (Eleventy's own url filter is much slower).
  eleventyConfig.addFilter("rel", (path) => BASE_PATH + path);
  eleventyConfig.addFilter("topicTitle", (slug) => titles.get(slug) ?? slug);
  eleventyConfig.addFilter("isoDate", (value) => new Date(value).toISOString());
  eleventyConfig.addFilter("humanDate", (value) =>
    new Date(value).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }),
  );
  eleventyConfig.addFilter("topicPageUrl", (slug, number) =>
    number > 1 ? `/topics/${slug}/page/${number}/` : `/topics/${slug}/`,
  );

  return {
    dir: { input: "src", output: "_site" },
    // Briefs are plain Markdown, as in briefgen: no template language runs over them.
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  };
}
