"""Predict mode and the exercises in the built site, as a student uses them (issue 33).

test_predict_mode_on_the_readme_program: one page load. The toggle hides every grad (`?` in the plot's boxes
and the node table); each step asks for the receiving node's grad; a right answer (typed, Enter) shows it, a
wrong one is refused with the step's chain rule as the hint; a node used twice asks for the sum; the score; the
live region says each verdict; 0 axe-core violations; the answer box reached with the keyboard alone; a reload
keeps predict mode on (the document and the address hold it); the hover's tooltip says `?` for a hidden grad.
test_every_exercise_solved_by_a_student: one page load (and a reload) for the ten built-in exercises
(#tour=exercises), walked with the tour's Next: each refuses a wrong attempt (the page names the condition that
fails) and takes a solution typed, clicked or trained as a student would; "Solved" is a green box; "My progress"
lists all ten and survives a reload; 0 axe-core violations on an exercise; a teacher's tour link with a bad
condition is refused with a message. tests/lesson/test_exercises.py solves every one at the check level too.
"""
import base64
import json
import re
import zlib

from playwright.sync_api import expect

from playground.graph.predict import questions
from playground.graph.presets import README_EXAMPLE
from playground.graph.state import make_graph
from playground.lesson.checks import evaluate
from playground.lesson.exercises import exercises_tour
from playground.lesson.facts import DocumentFacts
from tests.browser.test_accessibility import RECORD_SAID, assert_no_violations, focused, tab_to, wait_said
from tests.browser.test_touch import NODE_POINT
from tests.conftest import wait_until_interactive
from tests.lesson.test_exercises import STUDENT, attempt, opened

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


def assert_hover_grad(page, name, grad):
    """The tooltip shown when the mouse rests on the box of `name` ends with its grad line, `grad: <grad>`."""
    page.locator(".graph-plot").first.scroll_into_view_if_needed()
    point = page.evaluate(NODE_POINT, name)
    page.mouse.move(point["x"], point["y"])
    tip = page.locator(".bk-Tooltip:visible").first
    expect(tip).to_contain_text(re.compile(rf"node:\s*{re.escape(name)}\b"), timeout=TIMEOUT)
    expect(tip).to_contain_text(re.compile(rf"grad:\s*{re.escape(grad)}\s*$"), timeout=TIMEOUT)
    expect(tip).not_to_contain_text("NaN")
    page.mouse.move(1, 1)                                   # away: the tooltip goes


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
    assert_hover_grad(page, "g", "?")                     # the tooltip too (it said NaN)

    # Right answers, typed and sent with Enter: the grad appears in the table and the box.
    answer(page, "1")
    expect(feedback).to_contain_text("Right: g.grad = 1.", timeout=TIMEOUT)
    wait_said(page, r"^Right: g\.grad = 1\.")
    expect(explain).to_contain_text("starts at the output", timeout=TIMEOUT)
    assert table_grads(page)["g"] == "1.0000" and box_grads(page)["g"] == "grad 1.0000"
    assert_hover_grad(page, "g", "1")
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
    assert feedback.locator(".wrong").evaluate("e => getComputedStyle(e).color") == "rgb(183, 28, 28)"   # red
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


def failing(lesson, change):
    """The lines of the lesson's check that fail after `change` (tests/lesson/test_exercises.py's attempt()):
    what the page must say is not there yet."""
    document = opened(lesson)
    attempt(document, change)
    ok, lines = evaluate(lesson["check"], DocumentFacts(document))
    assert not ok
    return [line for line in lines if line.startswith("\u2717")]


def next_exercise(page, lesson):
    page.locator(".tour-next button").click()
    expect(page.locator(".exercise-task")).to_contain_text(lesson["task"][:30].replace("`", ""), timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Not solved yet", timeout=TIMEOUT)


def train(page, until="\u2713 Solved", pause=True):
    """Play until the exercise's status says `until`, then Pause (a run that diverges stops by itself). Solved
    is recorded once: the run trains on, and the status may say "Solved earlier" by the time it is read."""
    page.locator(".train-play button").click()
    expect(status(page)).to_contain_text(until, timeout=TRAIN_TIMEOUT)
    if pause:
        page.locator(".train-pause button").click()
    expect(page.locator(".train-play button")).to_be_enabled(timeout=TIMEOUT)


def type_into(page, css, text):
    box = page.locator(f"{css} input")
    box.wait_for(state="visible", timeout=TIMEOUT)
    box.fill(text)
    box.press("Enter")


SOLVED = "\u2713 Solved. Checked:"


def test_every_exercise_solved_by_a_student(app_page):
    """The ten built-in exercises in one page, walked with the tour's Next as a student walks them: each opens
    not solved, refuses a wrong attempt (the page says which condition fails) and takes a solution."""
    page = app_page.page
    lessons = exercises_tour()["lessons"]
    titles = [lesson["title"] for lesson in lessons]
    assert len(lessons) == 10 and titles == list(STUDENT)
    page.evaluate(RECORD_SAID)
    page.evaluate("() => { location.hash = '#tour=exercises&lesson=1' }")
    expect(page.locator(".exercise-task")).to_contain_text("Work out dL/da by hand", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Not solved yet", timeout=TIMEOUT)

    # 1-6. The graph exercises: the student types leaf values (a by-hand answer into `guess`).
    for index in range(6):
        lesson = lessons[index]
        if index:
            next_exercise(page, lesson)
        wrong, right = STUDENT[lesson["title"]]
        start = opened(lesson).graph.graph.leaves
        for name, value in wrong.items():
            set_leaf(page, name, value)
        for line in failing(lesson, wrong):
            expect(status(page)).to_contain_text(line, timeout=TIMEOUT)
        expect(status(page)).to_contain_text("Not solved yet")
        if index == 0:
            assert_no_violations(page, "an exercise not solved yet")
        if index == 3:                                     # the dead ReLU: with the hint first
            page.locator(".exercise-hint-button button").click()
            expect(page.locator(".exercise-hint")).to_contain_text("relu passes 0", timeout=TIMEOUT)
        for name, value in {**{name: start[name] for name in wrong}, **right}.items():   # undo, then solve
            set_leaf(page, name, value)
        expect(status(page)).to_contain_text(SOLVED, timeout=TIMEOUT)
        if index == 0:
            wait_said(page, r"Solved\. Checked: .*guess\.data = -12")
            # "Solved" stands out: a green box, not only green text
            solved = status(page).locator(".solved")
            assert solved.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(232, 245, 233)"
            assert solved.evaluate("e => getComputedStyle(e).borderTopWidth") == "2px"
            assert_no_violations(page, "an exercise solved")

    # 7. A learning rate that diverges: lr 1 for three steps is not it; 100 and Play is.
    next_exercise(page, lessons[6])
    type_into(page, ".field-learning-rate", "1")
    for _ in range(3):
        page.locator(".train-step button").click()
    expect(page.locator(".train-step-count")).to_have_text("3", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("\u2717 the training diverged: yes: it is no", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Not solved yet")
    type_into(page, ".field-learning-rate", "100")
    train(page, pause=False)

    # 8. A learning rate that converges: the lesson's 100 diverges (refused); 1, Reset, Play converges.
    next_exercise(page, lessons[7])
    page.locator(".train-play button").click()
    expect(page.locator(".train-message")).to_contain_text("diverged", timeout=TRAIN_TIMEOUT)
    expect(status(page)).to_contain_text("\u2717 the training loss at most 0.1 within 300", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Not solved yet")
    type_into(page, ".field-learning-rate", "1")
    page.locator(".train-reset button").click()
    expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)
    train(page)

    # 9. The smallest network for the circles: 5 neurons are too many (refused at once), 4 train to it.
    next_exercise(page, lessons[8])
    type_into(page, ".train-hidden", "5")
    expect(status(page)).to_contain_text("\u2717 the hidden neurons (all layers) at most 4: it is 5",
                                         timeout=TIMEOUT)
    type_into(page, ".train-hidden", "4")
    train(page)

    # 10. The spiral: 17 neurons are too many, two layers of 8 train to 80 % within 1,500 steps.
    next_exercise(page, lessons[9])
    type_into(page, ".train-hidden", "9, 8")
    expect(status(page)).to_contain_text("\u2717 the hidden neurons (all layers) at most 16: it is 17",
                                         timeout=TIMEOUT)
    type_into(page, ".train-hidden", "8, 8")
    train(page)

    # My progress lists all ten, with when and how; a reload keeps them.
    page.locator(".exercise-progress-button button").click()
    progress = page.locator(".exercise-progress textarea")
    expect(progress).to_have_value(re.compile("not proof"), timeout=TIMEOUT)
    text = progress.input_value()
    for index, title in enumerate(titles):
        how = "after the hint" if index == 3 else "before the hint"
        assert f"solved {title} (" in text and how in text.split(title)[1].split("\n")[0], title
    assert "10 solved, 9 of them before the hint." in text
    page.wait_for_timeout(600)
    page.reload()
    wait_until_interactive(page)
    expect(page.locator(".exercise-task")).to_contain_text("Reach a test accuracy of 80 %", timeout=TIMEOUT)
    expect(status(page)).to_contain_text("Solved", timeout=TIMEOUT)
    page.locator(".exercise-progress-button button").click()
    expect(page.locator(".exercise-progress textarea")).to_have_value(re.compile("10 solved"), timeout=TIMEOUT)

    # A teacher's link whose condition is not the language: refused with a message, nothing else changes.
    bad = {"title": "Homework", "lessons": [{"title": "One", "text": "x", "task": "Make a.grad zero",
                                             "check": {"node": "a", "grad": "__import__('os')"}}]}
    page.evaluate(f"() => {{ location.hash = '#tour={packed_tour(bad)}&lesson=1' }}")
    expect(page.locator(".tour-message")).to_contain_text(
        "This tour link could not be opened: lesson 1's check's grad must be a number", timeout=TIMEOUT)
    app_page.assert_clean()
