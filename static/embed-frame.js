// The playground in a course page's frame (docs/embedding.md); does nothing in a page of its own.
// - Training pauses while the frame is out of view or its tab hidden, and goes on when it is seen again: an
//   embed scrolled away would keep a core busy. It pauses and plays as the student's buttons do (their
//   fast lane: playground/fast_lane.py), so what the buttons show stays true.
// - Height: a course page that includes static/embed.js asks the frame to follow its content; the frame
//   then lays itself out at its content's height and tells its parent that height, and nothing else:
//   {micrograd_playground: "height", height: <CSS pixels>}. It announces itself with
//   {micrograd_playground: "ready"}, so a resizer that loaded after the frame still finds it.
(function () {
  if (window.top === window) { return }
  const root = document.documentElement
  const whenUp = (run) => window.playgroundUp ? run() : window.addEventListener('playground-up', run, {once: true})
  whenUp(() => root.setAttribute('data-python', 'live'))

  // -- training pauses out of view ------------------------------------------------------------------
  let inView = true
  let pausedUnseen = false
  const pauseButton = () => {
    const doc = window.earlyWorker?.jsdoc
    return doc && [...doc.all_models].find((model) => model.css_classes?.includes?.('train-pause'))
  }
  const act = (name) => window.earlyWorker.postMessage({type: 'action', name: name})
  const follow = () => {
    if (!window.playgroundUp) { return }
    const seen = inView && document.visibilityState === 'visible'
    if (!seen && !pausedUnseen && pauseButton()?.disabled === false) {   // the Pause button is live: it trains
      pausedUnseen = true
      act('train-pause')
    } else if (seen && pausedUnseen) {
      pausedUnseen = false
      act('train-play')
    }
  }
  new IntersectionObserver((entries) => {
    inView = entries[entries.length - 1].isIntersecting
    follow()
  }).observe(root)
  document.addEventListener('visibilitychange', follow)
  // The student may press Play while the frame is half out of view: checked again now and then, cheaply.
  setInterval(follow, 1000)

  // -- height follows the content, when the course page asks --------------------------------------------
  const say = (message) => window.parent.postMessage({micrograd_playground: message.kind, ...message.data}, '*')
  let following = false
  let told = 0
  const tell = () => {
    const container = document.getElementById('container')
    const height = Math.ceil(container ? container.getBoundingClientRect().height : root.scrollHeight)
    if (Math.abs(height - told) >= 2) {
      told = height
      say({kind: 'height', data: {height: height}})
    }
  }
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || event.data?.micrograd_playground !== 'follow-height' || following) { return }
    following = true
    root.setAttribute('data-follows-height', '')
    const observer = new ResizeObserver(() => requestAnimationFrame(tell))
    const container = document.getElementById('container')
    if (container) { observer.observe(container) }
    observer.observe(document.body)
    tell()
  })
  say({kind: 'ready', data: {}})
})()
