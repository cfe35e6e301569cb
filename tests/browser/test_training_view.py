"""The training view in the built site (Pyodide worker): one page load, the issue's checks in order.

Play then Pause: the step counter and the accuracy have risen, the heatmap was redrawn again and again while
it trained (the rate is printed; the assert is a floor a busy CI machine passes, bench/training_bench.py
measures the real rate) and so were the neurons' pictures; Pause stops the counter; the neuron buttons resize
a layer; a click adds a point; clicking a data point opens its graph in the graph view.
"""

import re

from playwright.sync_api import expect

from tests.conftest import wait_until_interactive

TIMEOUT = 60_000  # each change goes to the worker's Python and back; the machine may be busy

# A checksum of the heatmap image and the number of points, read from the page's Bokeh document (the last
# one: the worker's document replaces the prerendered one).
HEATMAP_SUM = """() => {
  const doc = Bokeh.documents.at(-1);
  const image = doc.get_model_by_name('heatmap').data_source.data.image[0];
  let sum = 0;
  for (let i = 0; i < image.length; i++) sum += image[i] * ((i % 97) + 1);
  return sum;
}"""
# Counts, in the page, every new heatmap image its Bokeh document receives (at each animation frame).
COUNT_REDRAWS = """() => {
  const source = Bokeh.documents.at(-1).get_model_by_name('heatmap').data_source;
  window.__redraws = [];
  let last = source.data.image[0];
  const look = () => {
    if (source.data.image[0] !== last) { last = source.data.image[0]; window.__redraws.push(performance.now()); }
    window.__redraw_loop = requestAnimationFrame(look);
  };
  look();
}"""
THUMBNAILS = """() => {
  const data = Bokeh.documents.at(-1).get_model_by_name('neuron_thumbnails').data_source.data;
  let sum = 0;
  for (const image of data.image) for (let i = 0; i < image.length; i++) sum += image[i] * ((i % 7) + 1);
  return [data.image.length, sum];
}"""
POINT_COUNT = "() => Bokeh.documents.at(-1).get_model_by_name('points').data_source.data.x.length"

# The page coordinates of a data point (x, y) on the decision-boundary plot.
TO_PAGE = """([x, y]) => {
  const doc = Bokeh.documents.at(-1);
  const view = Bokeh.index.find_one(doc.get_model_by_name('decision_boundary'));
  const box = view.canvas_view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)];
}"""
POINT_XY = """(k) => {
  const data = Bokeh.documents.at(-1).get_model_by_name('points').data_source.data;
  return [data.x[k], data.y[k]];
}"""


def number(page, css_class):
    return float(page.locator(f".{css_class}").inner_text().rstrip(" %").replace("\u2013", "nan"))


# Brings the decision-boundary plot to the middle of the window: a point near its top edge could otherwise
# sit under the page's fixed header, which would take the click.
CENTER_PLOT = """() => {
  const view = Bokeh.index.find_one(Bokeh.documents.at(-1).get_model_by_name('decision_boundary'));
  view.canvas_view.el.scrollIntoView({block: 'center'});
}"""


def click_on_plot(page, x, y):
    page.evaluate(CENTER_PLOT)
    left, top = page.evaluate(TO_PAGE, [x, y])
    page.mouse.click(left, top)


def test_play_pause_click_a_point_and_open_its_graph(app_page):
    page = app_page.page
    app_page.show_view("training")
    steps = page.locator(".train-step-count")
    expect(steps).to_have_text("0", timeout=TIMEOUT)
    page.locator(".training-view").scroll_into_view_if_needed()
    accuracy_before = number(page, "train-accuracy")
    heatmap_before = page.evaluate(HEATMAP_SUM)
    thumbnail_count, thumbnails_before = page.evaluate(THUMBNAILS)
    assert thumbnail_count == 2 + 16 + 16 + 1       # every neuron of the default network has its picture

    # Play: the counter runs and the heatmap is redrawn again and again while training goes on.
    page.locator(".train-play button").click()
    page.wait_for_function(f"() => ({HEATMAP_SUM})() !== {heatmap_before}", timeout=TIMEOUT)
    expect(steps).not_to_have_text("0", timeout=TIMEOUT)
    page.evaluate(COUNT_REDRAWS)
    page.wait_for_timeout(3000)
    redraws = page.evaluate("window.__redraws")
    rate = (len(redraws) - 1) / (redraws[-1] - redraws[0]) * 1000 if len(redraws) > 1 else 0.0
    print(f"heatmap redraws while training: {rate:.1f} per second ({len(redraws)} in ~3 s)")
    assert rate >= 2.0
    assert page.evaluate(THUMBNAILS)[1] != thumbnails_before     # the neurons' pictures follow the training
    page.locator(".train-pause button").click()

    # Pause stops at once: once the worker has taken the click (Play is enabled again), the counter
    # no longer moves.
    expect(page.locator(".train-play button")).to_be_enabled(timeout=TIMEOUT)
    expect(page.locator(".train-pause button")).to_be_disabled()
    paused_at = steps.inner_text()
    page.wait_for_timeout(1500)
    assert steps.inner_text() == paused_at
    assert int(paused_at) > 0
    assert number(page, "train-accuracy") > accuracy_before
    page.evaluate("cancelAnimationFrame(window.__redraw_loop)")
    # Paused means stopped, with no tick left over: Step moves the counter by exactly one; Play goes on from
    # there and a second Pause stops it again.
    page.locator(".train-step button").click()
    expect(steps).to_have_text(str(int(paused_at) + 1), timeout=TIMEOUT)
    page.locator(".train-play button").click()
    expect(steps).not_to_have_text(str(int(paused_at) + 1), timeout=TIMEOUT)
    page.locator(".train-pause button").click()
    expect(page.locator(".train-play button")).to_be_enabled(timeout=TIMEOUT)
    again = steps.inner_text()
    page.wait_for_timeout(1500)
    assert steps.inner_text() == again and int(again) > int(paused_at) + 1

    # The neuron buttons resize a layer: the text, the network and its pictures follow (a fresh run).
    page.locator(".train-remove-neuron-2 button").click()
    expect(page.locator(".train-hidden input")).to_have_value("16, 15", timeout=TIMEOUT)
    expect(page.locator(".train-layer-size-2")).to_contain_text("15 neurons", timeout=TIMEOUT)
    page.wait_for_function(f"() => ({THUMBNAILS})()[0] === {thumbnail_count - 1}", timeout=TIMEOUT)
    expect(steps).to_have_text("0", timeout=TIMEOUT)
    # Typing the layers redraws the pictures too; a small network from here on keeps the point's graph small
    # (through 16 x 16 neurons it has ~1,200 nodes: the graph view's own tests measure those).
    hidden = page.locator(".train-hidden input")
    hidden.fill("4")
    hidden.press("Enter")
    page.wait_for_function(f"() => ({THUMBNAILS})()[0] === 2 + 4 + 1", timeout=TIMEOUT)

    # A click adds a point of the chosen class where it lands.
    page.locator(".train-click-mode button", has_text="+ blue").click()
    count = page.evaluate(POINT_COUNT)
    click_on_plot(page, -1.0, -1.0)  # a corner of the moons' box, far from every point
    page.wait_for_function(f"() => ({POINT_COUNT})() === {count + 1}", timeout=TIMEOUT)
    x, y = page.evaluate(POINT_XY, count)
    assert abs(x + 1.0) < 0.05 and abs(y + 1.0) < 0.05

    # Clicking a data point opens its whole graph, down to its loss, in the graph view.
    page.locator(".train-click-mode button", has_text="graph").click()
    expect(page.locator(".train-graph-note")).to_contain_text("a data point to open its graph", timeout=TIMEOUT)
    click_on_plot(page, *page.evaluate(POINT_XY, 0))
    # The page switches to the graph view, which shows the point's compact program (the hidden layer's outputs
    # L1N1.. are its leaves); back in the training view a note says which point it was.
    expect(page.locator(".graph-program textarea")).to_have_value(
        re.compile(r"^# Point 0 \([\s\S]*\bL1N1 = [\s\S]*\nloss = "), timeout=TIMEOUT)
    expect(page.locator(".graph-view").first).to_be_visible()
    app_page.show_view("training")
    expect(page.locator(".train-graph-note")).to_contain_text("Point 0", timeout=TIMEOUT)
    app_page.assert_clean()


def test_one_step_of_the_run_phase_by_phase(app_page):
    """Step by phase: the run's own next step, the loop's code marked phase by phase, one weight followed, the
    boundary before and after; once its update has run the run's step counter says 1."""
    from playground.lesson.training_step import loop_lines
    from playground.training.state import TrainingSettings

    page = app_page.page
    app_page.show_view("training")
    steps = page.locator(".train-step-count")
    expect(steps).to_have_text("0", timeout=TIMEOUT)
    page.locator(".train-phases-toggle button").click()
    caption = page.locator(".train-phase-caption")
    expect(caption).to_contain_text("Step 1, phase 0 of 5", timeout=TIMEOUT)
    expect(page.locator(".train-phase-before svg")).to_be_visible()
    defaults = TrainingSettings()
    lines = loop_lines("svm", defaults.optimizer, alpha=defaults.l2 > 0)
    for phase in ("forward", "loss", "zero_grad", "backward", "update"):
        page.locator(".train-phase-next button").click()
        first = next(line for p, line in lines if p == phase)
        expect(page.locator(".train-phase-code .line.now").first).to_have_text(first, timeout=TIMEOUT)
        expect(page.locator(".train-phase-weight-table tr.now td").first).to_have_text(phase)
        assert steps.inner_text() == "0" or phase == "update"
    expect(steps).to_have_text("1", timeout=TIMEOUT)
    expect(page.locator(".train-phase-after svg")).to_be_visible()
    row = page.locator(".train-phase-weight-table tr.now td").all_inner_texts()
    data, grad = float(row[1]), float(row[2])
    start = float(page.locator(".train-phase-weight-table tbody tr").first.locator("td").nth(1).inner_text())
    assert abs(data - (start - defaults.learning_rate * grad)) < 2e-6
    assert re.match(rf"-{defaults.learning_rate:g} × -?[\d.]+ = [+-][\d.]+", row[3])
    # Step runs the next step whole: the panel moves on to the step after it.
    page.locator(".train-step button").click()
    expect(steps).to_have_text("2", timeout=TIMEOUT)
    expect(caption).to_contain_text("Step 3, phase 0 of 5", timeout=TIMEOUT)
    app_page.assert_clean()


# From here on the page sends the worker no events at all (its patches are dropped), only other messages.
DROP_PATCHES = """() => {
  const worker = window.earlyWorker;
  const post = worker.postMessage.bind(worker);
  worker.postMessage = (message, ...rest) => { if (message?.type !== 'patch') post(message, ...rest) };
}"""


def test_pause_takes_the_fast_lane_past_the_queued_events(app_page):
    """Pause's click also goes straight to the worker (playground/fast_lane.py): with every patch of the page
    dropped, Pause still stops the training, and Python's answer (Play enabled) reaches the page."""
    page = app_page.page
    app_page.show_view("training")
    steps = page.locator(".train-step-count")
    expect(steps).to_have_text("0", timeout=TIMEOUT)
    page.locator(".train-play button").click()
    expect(steps).not_to_have_text("0", timeout=TIMEOUT)
    expect(page.locator(".train-pause button")).to_be_enabled(timeout=TIMEOUT)
    page.evaluate(DROP_PATCHES)
    page.locator(".train-pause button").click()
    expect(page.locator(".train-play button")).to_be_enabled(timeout=TIMEOUT)
    paused_at = steps.inner_text()
    page.wait_for_timeout(1500)
    assert steps.inner_text() == paused_at


# The page's Bokeh document holds the training view's Play button (its model: on screen or not yet).
HAS_PLAY_MODEL = """() => [...Bokeh.documents.at(-1).all_models].some(
  (model) => (model.css_classes || []).includes('train-play'))"""


def test_the_training_tab_is_ready_before_it_is_clicked_and_a_training_link_trains(app_page):
    """Idle time after the start builds the training view into its hidden tab (playground/idle.py): before any
    click the page holds its models and no "Building…" placeholder; a click on the tab then shows Play, which
    trains. A link that opens the training view trains too."""
    page = app_page.page
    page.wait_for_function(HAS_PLAY_MODEL, timeout=TIMEOUT)   # no click yet: built in idle time
    expect(page.locator(".graph-view").first).to_be_visible()   # the student is still on the graph view
    app_page.show_view("training")
    steps = page.locator(".train-step-count")
    expect(steps).to_have_text("0", timeout=TIMEOUT)
    heatmap_before = page.evaluate(HEATMAP_SUM)
    page.locator(".train-play button").click()
    expect(steps).not_to_have_text("0", timeout=TIMEOUT)
    page.wait_for_function(f"() => ({HEATMAP_SUM})() !== {heatmap_before}", timeout=TIMEOUT)   # it draws as it trains
    page.locator(".train-pause button").click()
    expect(page.locator(".train-play button")).to_be_enabled(timeout=TIMEOUT)
    expect(page.get_by_text("Building the training view")).to_have_count(0)

    # A link that opens the training view, in a fresh load (not a change of the address's fragment): Play trains.
    page.goto("about:blank")
    page.goto(app_page.site_url + "#view=training")
    wait_until_interactive(page)
    expect(page.locator(".training-view").first).to_be_visible(timeout=TIMEOUT)
    page.locator(".train-play button").click()
    expect(page.locator(".train-step-count")).not_to_have_text("0", timeout=TIMEOUT)
    expect(page.get_by_text("Building the training view")).to_have_count(0)
    app_page.assert_clean()
