export default {
  layout: "brief.njk",
  permalink: (data) => `briefs/${data.page.fileSlug}/`,
};
