// Optional, for a course page that embeds the playground: each playground iframe follows its content's height
// (as H5P's h5p-resizer.js does for H5P content). Include it once, anywhere on the page:
//   <script src="https://your.host/playground/embed.js" async></script>
// Without it nothing changes: the frames keep the height the page gave them. How it works: a playground frame
// says {micrograd_playground: "ready"}; this script answers {micrograd_playground: "follow-height"}; the frame
// then sends {micrograd_playground: "height", height: N} whenever its content's height changes, and the iframe
// that sent it gets that height. Nothing else is exchanged (docs/embedding.md).
(function () {
  if (window.microgradPlaygroundResizer) { return }   // included twice
  window.microgradPlaygroundResizer = true
  const LOWEST = 150
  const HIGHEST = 20000
  const frameOf = (source) => [...document.getElementsByTagName('iframe')].find((frame) => frame.contentWindow === source)
  window.addEventListener('message', (event) => {
    const data = event.data
    const frame = data && typeof data === 'object' && frameOf(event.source)
    if (!frame) { return }
    if (data.micrograd_playground === 'ready') {
      event.source.postMessage({micrograd_playground: 'follow-height'}, '*')
    } else if (data.micrograd_playground === 'height' && Number.isFinite(data.height)) {
      frame.style.height = Math.round(Math.min(Math.max(data.height, LOWEST), HIGHEST)) + 'px'
    }
  })
  // Frames that announced themselves before this script ran: ask them now (a frame ignores a second ask).
  for (const frame of document.getElementsByTagName('iframe')) {
    frame.contentWindow?.postMessage({micrograd_playground: 'follow-height'}, '*')
  }
})()
