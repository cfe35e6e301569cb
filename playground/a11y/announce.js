// What the page says: a polite live region, told each backward step's explanation, the training
// run's milestones (started, paused, reset, 100 / 1,000 / 10,000 steps) and what replaced the student's
// work (the Undo bar's sentence). Uses shadow.js.

const live = document.createElement("div");
live.id = "a11y-live";
live.className = "a11y-hidden";
live.setAttribute("role", "status");
live.setAttribute("aria-live", "polite");
document.body.appendChild(live);
function say(text) {
  if (text && live.textContent !== text) live.textContent = text;
}

function explainChanged(host) {   // the graph view's explanation of step k: say it
  const p = host.shadowRoot.querySelector("p.chain-rule");   // innerText: each <br> becomes a space
  const text = p ? p.innerText.replace(/\s+/g, " ").trim() : "";
  if (text) say(text);
}

// What replaced the student's work, and the way back (playground/undo.py). It comes with the new document,
// whose own news (the graph's first step) is said in the same moment: said after it, the sentence would
// silence it, so the two are said together, the sentence first.
let savedWorkSaid = "";
let spokenBefore = "";    // what the region said when the watcher's current batch of changes began
function batchBegins() { spokenBefore = live.textContent; }
function savedWorkChanged() {
  const text = shownText(find(".saved-work-message"));
  if (text && text !== savedWorkSaid) {
    const before = spokenBefore;
    setTimeout(() => say(live.textContent !== before ? `${text} ${live.textContent}` : text));
  }
  savedWorkSaid = text;
}

const training = {playing: false, step: 0, lastPower: 0};
function trainingStatus() {   // the numbers the status line shows
  const status = find(".train-status");
  const count = status && status.shadowRoot && status.shadowRoot.querySelector(".train-step-count");
  if (!count) return null;
  const text = textOf(count.parentElement);
  return {step: Number(textOf(count)), accuracy: textOf(count.parentElement.querySelector(".train-accuracy")),
          test: (text.match(/test loss [^,]+, accuracy (\S+ %|–)/) || [])[1] || "–"};
}
function trainingChanged() {   // milestones only: started, paused, reset, 100/1,000/10,000 steps
  const play = buttonOf(find(".train-play"));
  const status = trainingStatus();
  if (!play || !status) return;
  const playing = play.disabled;
  const numbers = `train accuracy ${status.accuracy}, test accuracy ${status.test}`;
  if (playing && !training.playing) say(`Training started at step ${status.step}.`);
  else if (!playing && training.playing) say(`Training paused at step ${status.step}: ${numbers}.`);
  else if (status.step === 0 && training.step > 0) say("Training reset: step 0.");
  const power = status.step >= 100 ? Math.floor(Math.log10(status.step)) : 0;
  if (playing && power > training.lastPower) say(`Step ${status.step.toLocaleString("en")}: ${numbers}.`);
  training.lastPower = status.step === 0 ? 0 : Math.max(training.lastPower, power);
  training.playing = playing;
  training.step = status.step;
}
