// Keeps briefgen's build cache between Netlify builds: .briefgen-cache/ (encoded pictures,
// social cards) and the key briefgen signs it with. Without it every build encodes every
// picture again. Copy this folder to the repository root; netlify.toml names it.
//
// It uses utils.cache, the cache utility Netlify maintains (@netlify/cache-utils) and hands
// to every build plugin, so nothing is downloaded for it. The netlify-plugin-cache package
// is a third-party wrapper of that same utility: each build would fetch it from npm and run
// it with access to the build, for what these twenty lines do, and it takes paths relative
// to the repository, while briefgen's key lives in the home folder.
// Netlify's cache has no key to set: every file in briefgen's cache names what made it
// (the encoder, Pillow, the settings), so a cache from another version of briefgen or
// another site.yaml is safe to restore. See docs/publishing.md.
const os = require('os')
const path = require('path')

// Where briefgen keeps the key: $XDG_CACHE_HOME/briefgen, else ~/.cache/briefgen.
const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
const paths = ['.briefgen-cache', path.join(cacheHome, 'briefgen')]

module.exports = {
  async onPreBuild({ utils }) {
    const restored = await utils.cache.restore(paths)
    console.log(restored ? 'briefgen: cache restored' : 'briefgen: no cache yet')
  },
  // After the build command, and only when it succeeded: a failed build keeps the old cache.
  async onPostBuild({ utils }) {
    await utils.cache.save(paths)
  },
}
