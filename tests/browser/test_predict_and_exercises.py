"""Predict mode and the exercises in the built site, as a student uses them (issue 33).

test_predict_mode_on_the_readme_program: one page load. The toggle hides every grad (`?` in the plot's boxes
and the node table); each step asks for the receiving node's grad; a right answer (typed, Enter) shows it, a
wrong one is refused with the step's chain rule as the hint; a node used twice asks for the sum; the score; the
live region says each verdict; 0 axe-core violations; the answer box reached with the keyboard alone; a reload
keeps predict mode on (the document and the address hold it).
test_exercises_solved_by_a_student: the built-in exercises (#tour=exercises): a graph exercise refuses a wrong
answer then takes the right one, a dead ReLU, a training exercise trained until solved; "My progress" lists them
and survives a reload; 0 axe-core violations on an exercise; a teacher's tour link with a bad condition is
refused with a message. tests/lesson/test_exercises.py solves every one of them at the check level.
"""
import base64
import json
import re
import zlib

from playwright.sync_api import expect

from playground.graph.predict import questions
from playground.graph.presets import README_EXAMPLE
from playground.graph.state import make_graph
from playground.lesson.exercises import exercises_tour
from tests.browser.test_accessibility import RECORD_SAID, assert_no_violations, focused, tab_to, wait_said
from tests.conftest import wait_until_interactive

TIMEOUT = 30_000
TRAIN_TIMEOUT = 240_000


def table_grads(page):
    """{label: grad text} from the node table."""
    rows = {}
    for text in page.locator(".graph-table tbody tr").all_inner_texts():
        label, _op, _data, grad, *_ = text.split("\t")
        rows[label.strip()] = grad.strip()
    return rows


def box_grads(page):
    """{name: the grad line drawn in its box} from the plot's data (what the canvas shows)."""
    return page.evaluate("""() => {
      const data = Bokeh.documents.at(-1).get_model_by_name('graph_values').data;
      return Object.fromEntries(data.name.map((name, i) => [name, data.grad_text[i]]));
    }""")


def answer(page, text):
    box = page.locator(".predict-answer input")
    box.fill(text)
    box.press("Enter")


def step(page, k, n):
    page.locator(".graph-step button").click()
    expect(page.locator(".graph-explain")).to_contain_text(f"Step {k} of {n}", timeout=TIMEOUT)


def test_predict_mode_on_the_readme_program(app_page):
    page = app_page.page
    app_page.show_view("graph")
    expect(page.locator(".graph-table tbody tr").first).to_be_visible(timeout=TIMEOUT)
    graph = make_graph(README_EXAMPLE)
    asked, n = questions(graph), len(graph.steps)
    page.evaluate(RECORD_SAID)

    page.locator(".graph-predict-toggle input").check()
    expect(page.locator(".graph-predict")).to_be_visible(timeout=TIMEOUT)
    step(page, 1, n)
    feedback, explain = page.locator(".predict-feedback"), page.locator(".graph-explain")
    expect(explain).to_contain_text("Your turn", timeout=TIMEOUT)
    expect(page.locator(".predict-prompt")).to_contain_text("Backward starts at the output g", timeout=TIMEOUT)
    assert table_grads(page)["g"] == "?" and box_grads(page)["g"] == "grad ?"

    # Right answers, typed and sent with Enter: the grad appears in the table and the box.
    answer(page, "1")
    expect(feedback).to_contain_text("Right: g.grad = 1.", timeout=TIMEOUT)
    wait_said(page, r"^Right: g\.grad = 1\.")
    expect(explain).to_contain_text("starts at the output", timeout=TIMEOUT)
    assert table_grads(page)["g"] == "1.0000" and box_grads(page)["g"] == "grad 1.0000"
    for k in (2, 3):
        step(page, k, n)
        answer(page, f"{asked[k].expected}")
        expect(feedback).to_contain_text("Right:", timeout=TIMEOUT)
    step(page, 4, n)      # a constant (10.0 of 10.0/f): nothing to ask
    expect(page.locator(".predict-prompt")).to_contain_text("reaches a constant", timeout=TIMEOUT)
    expect(page.locator(".predict-answer input")).to_be_disabled(timeout=TIMEOUT)

    # A wrong answer: refused, the hint is the step's chain rule with its numbers; the grad stays hidden.
    step(page, 5, n)
    five = asked[5]
    assert five.name == "f" and not five.summed
    answer(page, "0.5")
    expect(feedback).to_contain_text("Not right (0.5; try 1).", timeout=TIMEOUT)
    expect(feedback).to_contain_text("d(10.0/f)/df = -10.0/f**2 = -10/49**2 = -0.0042", timeout=TIMEOUT)
    wait_said(page, r"^Not right \(0\.5; try 1\)\. Hint: .*-10\.0/f\*\*2")
    expect(page.locator(".predict-show button")).to_be_visible(timeout=TIMEOUT)
    assert table_grads(page)["f"] == "?"
    assert_no_violations(page, "predict mode, a wrong answer with its hint")
    answer(page, f"{five.expected:.4f}")
    expect(feedback).to_contain_text("Right: f.grad = -0.0042.", timeout=TIMEOUT)

    # f is used twice (in 10.0/f and in f/2.0): the next step asks for the sum, the contribution alone is wrong.
    step(page, 6, n)
    six = asked[6]
    assert six.name == "f" and six.summed
    expect(page.locator(".predict-prompt")).to_contain_text("give the sum", timeout=TIMEOUT)
    answer(page, f"{six.contribution}")
    expect(feedback).to_contain_text("Not right", timeout=TIMEOUT)
    expect(feedback).to_contain_text("Then add what f already held", timeout=TIMEOUT)
    # The keyboard alone: from the Step button, Tab reaches the answer box; Enter answers.
    page.locator(".graph-step button").focus()
    tab_to(page, "predict-answer")
    page.keyboard.type(f"{six.expected:.4f}")
    page.keyboard.press("Enter")
    expect(feedback).to_contain_text("Right: f.grad = -0.0042 + 0.5 = 0.4958.", timeout=TIMEOUT)
    assert table_grads(page)["f"] == "0.4958"
    expect(page.locator(".predict-score")).to_contain_text("Score: 3 of 5 right first time.", timeout=TIMEOUT)

    # Show the answer: the grad appears, counted as not right first time.
    ask = min(k for k in asked if k > 6)
    for k in range(7, ask + 1):
        step(page, k, n)
    answer(page, "12345")
    page.locator(".predict-show button").click()
    expect(feedback).to_contain_text(f"The answer: {asked[ask].answer_text()}", timeout=TIMEOUT)
    expect(page.locator(".predict-score")).to_contain_text("Score: 3 of 6 right first time.", timeout=TIMEOUT)
    assert_no_violations(page, "predict mode, an answer shown")

    # The document keeps predict mode: a reload opens with it on, the grads hidden again.
    page.wait_for_function("() => location.hash.length > 10", timeout=TIMEOUT)
    page.wait_for_timeout(600)       # the address follows 300 ms after the last change
    page.reload()
    wait_until_interactive(page)
    expect(page.locator(".graph-predict-toggle input")).to_be_checked(timeout=TIMEOUT)
    expect(page.locator(".graph-explain")).to_contain_text(f"Step {ask} of {n}", timeout=TIMEOUT)
    assert table_grads(page)["g"] == "?"
    app_page.assert_clean()


def packed_tour(tour):
    """A tour link's value packed by hand (tour.pack() refuses a bad condition, as it should)."""
    data = zlib.compress(json.dumps(tour).encode("utf-8"), 9)
    return "1." + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def status(page):
    return page.locator(".exercise-status")


def set_leaf(page, name, value):
    box = page.locator(f".leaf-{name} input")
    box.fill(str(value))
    box.press("Enter")


def test_exercises_solved_by_a_student(app_page):
    page = app_page.page
    tour = exercises_tour()
    titles = [lesson["title"] for lesson in tour["lessons"]]
    page.evaluate(RECORD_SAID)
    page.evaluate("() => { location.hash = '#tour=exercises&lesson=1' }")
    expect(page.locator(".exercise-task")).to_contain_text("Work out dL/da by hand", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Not solved yet", timeout=TIMEOUT)

    # 1. A wrong answer is not accepted; the right one is, and says what was checked.
    set_leaf(page, "guess", 12)
    expect(status(page)).to_contain_text("guess.data = -12 (within 0.001): it is 12", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Not solved yet", timeout=TIMEOUT)
    assert_no_violations(page, "an exercise not solved yet")
    set_leaf(page, "guess", -12)
    expect(status(page)).to_contain_text("\u2713 Solved. Checked:", timeout=TIMEOUT)
    wait_said(page, r"Solved\. Checked: .*guess\.data = -12")

    # 4. A dead ReLU, with the hint first.
    page.locator(".tour-next button").click()
    page.locator(".tour-next button").click()
    page.locator(".tour-next button").click()
    expect(page.locator(".exercise-task")).to_contain_text("the neuron is dead", timeout=TIMEOUT)
    page.locator(".exercise-hint-button button").click()
    expect(page.locator(".exercise-hint")).to_contain_text("relu passes 0", timeout=TIMEOUT)
    set_leaf(page, "x", 0)                                          # w.grad is 0, but the neuron is not dead
    expect(status(page)).to_contain_text("x.data = 1 (within 1e-06): it is 0", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Not solved yet", timeout=TIMEOUT)
    set_leaf(page, "x", 1)
    set_leaf(page, "w", -1)
    expect(status(page)).to_contain_text("\u2713 Solved.", timeout=TIMEOUT)

    # 7. Training: a learning rate that diverges (the training view trains for real).
    for _ in range(3):
        page.locator(".tour-next button").click()
    expect(page.locator(".exercise-task")).to_contain_text("until the page says the training diverged",
                                                           timeout=TIMEOUT)
    rate = page.locator(".field-learning-rate input")
    rate.wait_for(state="visible", timeout=TIMEOUT)
    rate.fill("100")
    rate.press("Enter")
    page.locator(".train-play button").click()
    expect(status(page)).to_contain_text("\u2713 Solved.", timeout=TRAIN_TIMEOUT)

    # 9. The smallest network for the circles: 2 neurons are not enough, 4 are.
    page.locator(".tour-next button").click()
    page.locator(".tour-next button").click()
    expect(page.locator(".exercise-task")).to_contain_text("Separate the circles", timeout=TIMEOUT)
    hidden = page.locator(".train-hidden input")
    hidden.fill("4")
    hidden.press("Enter")
    page.locator(".train-play button").click()
    # Solved (recorded once: the run trains on, and its test accuracy may dip again after)
    expect(status(page)).to_contain_text("\u2713 Solved", timeout=TRAIN_TIMEOUT)
    page.locator(".train-pause button").click()

    # My progress lists the solved ones, with when and how; a reload keeps them.
    page.locator(".exercise-progress-button button").click()
    progress = page.locator(".exercise-progress textarea")
    expect(progress).to_have_value(re.compile("not proof"), timeout=TIMEOUT)
    text = progress.input_value()
    for index, how in ((0, "before the hint"), (3, "after the hint"), (6, "before the hint"),
                       (8, "before the hint")):
        assert f"solved {titles[index]} (" in text and how in text.split(titles[index])[1].split("\n")[0]
    assert "4 solved, 3 of them before the hint." in text
    page.wait_for_timeout(600)
    page.reload()
    wait_until_interactive(page)
    expect(page.locator(".exercise-task")).to_contain_text("Separate the circles", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Solved", timeout=TIMEOUT)
    page.locator(".exercise-progress-button button").click()
    expect(page.locator(".exercise-progress textarea")).to_have_value(re.compile("4 solved"), timeout=TIMEOUT)

    # A teacher's link whose condition is not the language: refused with a message, nothing else changes.
    bad = {"title": "Homework", "lessons": [{"title": "One", "text": "x", "task": "Make a.grad zero",
                                             "check": {"node": "a", "grad": "__import__('os')"}}]}
    page.evaluate(f"() => {{ location.hash = '#tour={packed_tour(bad)}&lesson=1' }}")
    expect(page.locator(".tour-message")).to_contain_text(
        "This tour link could not be opened: lesson 1's check's grad must be a number", timeout=TIMEOUT)
    app_page.assert_clean()
