"""The lesson in the built site: the guided tour from its first lesson to its last, each lesson's tool used as
a student would (code panel, break it, build_topo, nudge, one training step phase by phase, then the next step
predicted: the weight's grad and update typed before the table shows them), a single embedded lesson, and a bad
tour link."""
import re

from playwright.sync_api import expect

from playground.graph.predict import number
from playground.lesson.training_step import LessonNetwork, loop_lines
from tests.browser.test_accessibility import RECORD_SAID, assert_no_violations, tab_to, wait_said

TIMEOUT = 30_000  # each click goes to the worker's Python and back


def click(page, css):
    page.locator(f"{css} button").first.click()


def second_step_of_the_lesson_network(name="L1N1w1"):
    """The weight `name` in the Lesson network's second step: (its value before, its grad, its value after)."""
    network = LessonNetwork()
    index = [p.label for p in network.parameters()].index(name)
    for _ in range(2):
        step = network.begin_step()
        start = network.parameters()[index].data
        records = [step.run_phase() for _ in range(5)]
    return start, records[3]["grad"][index], records[4]["data"][index]


def test_the_tour_from_first_lesson_to_last(app_page):
    page = app_page.page
    app_page.open("#tour=micrograd&lesson=1")
    heading = page.locator(".tour-heading")
    expect(heading).to_contain_text("lesson 1 of 6: A Value", timeout=TIMEOUT)
    expect(page.locator(".graph-summary")).to_contain_text("Output d = 4.0000", timeout=TIMEOUT)
    expect(page.locator(".tour-back button")).to_be_disabled()
    # under the graph view, micrograd's code follows the animation's steps (one contribution per step)
    for _ in range(4):                                                # seed, d -> e, d -> c, e -> a
        page.locator(".graph-step button").click()
    step_code = page.locator(".step-code-closure")
    expect(step_code.locator(".line.now.note")).to_contain_text("# a.grad += -3.0 * 1.0  ->  a.grad = -3.0",
                                                                timeout=TIMEOUT)
    expect(page.locator(".step-code-loop .line.now")).to_contain_text("v = topo[2] = e")
    expect(page.locator(".step-code-order mark.now")).to_have_text("topo[2] e")

    # 2. An op's closure: the code panel, one _backward call per step, with the numbers filled in.
    click(page, ".tour-next")
    expect(heading).to_contain_text("lesson 2 of 6: An op's closure", timeout=TIMEOUT)
    closure = page.locator(".lesson-code-closure")
    loop = page.locator(".lesson-code-loop")
    expect(loop).to_be_visible(timeout=TIMEOUT)
    click(page, ".lesson-code-next")
    expect(loop.locator(".line.now")).to_contain_text("self.grad = 1.0", timeout=TIMEOUT)
    click(page, ".lesson-code-next")                                   # d = e + c
    expect(loop.locator(".line.now")).to_contain_text("v = d (number 4)", timeout=TIMEOUT)
    click(page, ".lesson-code-next")                                   # c: a leaf
    click(page, ".lesson-code-next")                                   # e = a * b
    expect(closure).to_contain_text("a.grad += -3.0 * 1.0  ->  a.grad = -3.0", timeout=TIMEOUT)
    expect(closure.locator(".line.now").first).to_contain_text("self.grad += other.data * out.grad")
    expect(page.locator(".lesson-code-details")).to_contain_text("db")
    # the current node is marked in the picture and its topological number stays on its box
    expect(page.locator(".lesson-code-picture g.lesson-current")).to_have_attribute("data-node", "2")
    expect(page.locator(".lesson-code-picture .lesson-topo-number")).to_have_count(5)

    # 3. A value used twice: overwrite instead of accumulate, beside the correct run; the check turns red.
    click(page, ".tour-next")
    expect(heading).to_contain_text("A value used twice", timeout=TIMEOUT)
    check = page.locator(".lesson-break-check")
    expect(check).to_contain_text("ok", timeout=TIMEOUT)
    page.get_by_text("experiment: overwrite (=) instead of accumulate (+=)").click()
    wrong = check.locator("tr.wrong")
    expect(wrong).to_contain_text("WRONG", timeout=TIMEOUT)
    assert wrong.locator("td").all_inner_texts()[:4] == ["a", "1.0", "2.0", "2.0"]
    assert wrong.locator("td").first.evaluate("e => getComputedStyle(e).color") == "rgb(183, 28, 28)"  # red
    page.get_by_text("experiment: backward twice without zero_grad").click()
    expect(check.locator("tr.wrong td").nth(1)).to_have_text("4.0", timeout=TIMEOUT)

    # 4. Topological order: step the sort to its end; every box gets its number.
    click(page, ".tour-next")
    expect(heading).to_contain_text("Topological order", timeout=TIMEOUT)
    caption = page.locator(".lesson-topo-caption")
    click(page, ".lesson-topo-next")
    expect(caption).to_contain_text("visit o", timeout=TIMEOUT)
    expect(page.locator(".lesson-topo-code .line.now").first).to_contain_text("if v not in visited:")
    click(page, ".lesson-topo-end")
    expect(caption).to_contain_text("backward() runs _backward in reverse: 9, 8, 7", timeout=TIMEOUT)
    expect(page.locator(".lesson-topo-picture .lesson-topo-number")).to_have_count(10)

    # 5. A neuron: nudge w1 by 0.01.
    click(page, ".tour-next")
    expect(heading).to_contain_text("A neuron", timeout=TIMEOUT)
    page.locator(".lesson-nudge-leaf select").select_option("w1")
    click(page, ".lesson-nudge-go")
    result = page.locator(".lesson-nudge-result")
    expect(result).to_contain_text("0.00985925", timeout=TIMEOUT)   # the actual change of o
    expect(result).to_contain_text("1 × 0.01")                      # grad × h

    # 6. A training step, phase by phase: the loop's line of each phase is marked in turn.
    click(page, ".tour-next")
    expect(heading).to_contain_text("lesson 6 of 6: A training step", timeout=TIMEOUT)
    expect(page.locator(".tour-next button")).to_be_disabled()
    lines = loop_lines(LessonNetwork.loss, LessonNetwork.optimizer, alpha=True)
    for phase in ("forward", "loss", "zero_grad", "backward", "update"):
        click(page, ".lesson-train-next")
        marked = page.locator(".lesson-train-code .line.now")
        expect(marked.first).to_have_text(next(line for p, line in lines if p == phase), timeout=TIMEOUT)
        expect(page.locator(".lesson-train-weight-table tr.now td").first).to_have_text(phase)
    update = page.locator(".lesson-train-weight-table tr.now td").all_inner_texts()
    data, grad, change = float(update[1]), float(update[2]), update[3]
    assert re.match(r"-0\.5 × -?[\d.]+ = [+-][\d.]+", change)
    start = float(page.locator(".lesson-train-weight-table tbody tr").first.locator("td").nth(1).inner_text())
    assert abs(data - (start - 0.5 * grad)) < 2e-6
    expect(page.locator(".lesson-train-before svg")).to_be_visible()
    expect(page.locator(".lesson-train-after svg")).to_be_visible()

    # Predict the weight: in the next step the student types L1N1w1's grad, then its new value, before the table
    # shows them; a wrong answer is refused with a hint made of the step's numbers; the live region says it.
    w, grad, new = second_step_of_the_lesson_network()
    page.evaluate(RECORD_SAID)
    page.locator(".lesson-train-predict-toggle input").check()
    expect(page.locator(".lesson-train-predict")).to_be_visible(timeout=TIMEOUT)
    caption, now = page.locator(".lesson-train-caption"), page.locator(".lesson-train-weight-table tr.now td")
    click(page, ".lesson-train-next")                                  # the next step begins
    for phase in range(1, 5):                                          # forward .. backward
        click(page, ".lesson-train-next")
        expect(caption).to_contain_text(f"Step 2, phase {phase} of 5", timeout=TIMEOUT)
    expect(now.nth(2)).to_have_text("?")
    prompt, feedback = page.locator(".lesson-train-predict-prompt"), page.locator(".lesson-train-predict-feedback")
    expect(prompt).to_contain_text("what is L1N1w1.grad now", timeout=TIMEOUT)
    box = page.locator(".lesson-train-predict-answer input")
    box.fill("0.5")
    box.press("Enter")
    expect(feedback).to_contain_text("Not right (0.5; try 1).", timeout=TIMEOUT)
    assert feedback.locator(".wrong").evaluate("e => getComputedStyle(e).color") == "rgb(183, 28, 28)"   # red
    l2 = 2 * LessonNetwork.alpha * w
    expect(feedback).to_contain_text(f"= {number(grad - l2)} + 2 \u00d7 0.0001 \u00d7 ", timeout=TIMEOUT)
    wait_said(page, r"^Not right \(0\.5; try 1\)\. Hint: loss = \(the mean of the 30 points")
    expect(now.nth(2)).to_have_text("?")
    assert_no_violations(page, "one training step, predicting the grad, a wrong answer")
    box.fill(f"{grad:.6f}")
    box.press("Enter")
    expect(feedback).to_contain_text(f"Right: L1N1w1.grad = {number(grad)}.", timeout=TIMEOUT)
    expect(now.nth(2)).to_have_text(f"{grad:.6f}")
    # The update, with the keyboard alone: from Next phase, Tab reaches the answer box; Enter answers.
    click(page, ".lesson-train-next")
    expect(caption).to_contain_text("Step 2, phase 5 of 5", timeout=TIMEOUT)
    expect(now.nth(1)).to_have_text("?")
    expect(prompt).to_contain_text("What is L1N1w1.data now?", timeout=TIMEOUT)
    page.locator(".lesson-train-next button").focus()
    tab_to(page, "lesson-train-predict-answer")
    page.keyboard.type(f"{w - 0.5 * grad:.6f}")
    page.keyboard.press("Enter")
    expect(feedback).to_contain_text(f"Right: L1N1w1.data = {number(w)} - 0.5 \u00d7 ", timeout=TIMEOUT)
    wait_said(page, r"^Right: L1N1w1\.data = ")
    expect(now.nth(1)).to_have_text(f"{new:.6f}")
    expect(page.locator(".lesson-train-predict-score")).to_contain_text("Score: 1 of 2 right first time.")

    click(page, ".tour-back")
    expect(heading).to_contain_text("lesson 5 of 6", timeout=TIMEOUT)
    app_page.assert_clean()


def test_one_embedded_lesson_and_a_bad_tour_link(app_page):
    page = app_page.page
    app_page.open("#tour=micrograd&lesson=3&single=1")
    expect(page.locator(".tour-heading")).to_have_text("A value used twice", timeout=TIMEOUT)
    expect(page.locator(".lesson-break-check")).to_contain_text("ok", timeout=TIMEOUT)
    expect(page.locator(".tour-next button")).to_be_hidden()        # one lesson alone: no Back, no Next
    expect(page.locator(".tour-back button")).to_be_hidden()
    page.evaluate("location.hash = '#tour=1.AAAA&lesson=1'")
    expect(page.locator(".tour-message")).to_contain_text("This tour link could not be opened", timeout=TIMEOUT)
    expect(page.locator(".tour-heading")).to_have_text("A value used twice")     # nothing else changed
    app_page.assert_clean()


def test_a_reload_resumes_the_tour_where_it_stood_with_the_students_work(app_page):
    """The tour's place is part of the address: a reload opens the same lesson, and what the student changed
    since (a leaf's value) is kept, not replaced by the lesson's saved graph."""
    from tests.conftest import wait_until_interactive

    page = app_page.page
    page.locator(".tour-start button").click()                       # the header's button
    heading = page.locator(".tour-heading")
    expect(heading).to_contain_text("lesson 1 of 6: A Value", timeout=TIMEOUT)
    click(page, ".tour-next")
    expect(heading).to_contain_text("lesson 2 of 6", timeout=TIMEOUT)
    app_page.show_view("graph")
    leaf = page.locator(".leaf-a input")
    lesson_address = page.evaluate("location.hash")                 # the lesson's own document, already d=...
    leaf.fill("5")
    leaf.press("Enter")
    expect(page.locator(".graph-summary")).to_contain_text("Output d = -5.0000", timeout=TIMEOUT)
    # The address follows 300 ms after a change (slower on a loaded machine): wait for the edit to be in it.
    page.wait_for_function("(before) => location.hash !== before && location.hash.includes('d=') && "
                           "location.hash.endsWith('&tour=micrograd&lesson=2')", arg=lesson_address, timeout=TIMEOUT)
    page.wait_for_timeout(500)                                       # and on the device
    page.reload()
    wait_until_interactive(page)
    expect(heading).to_contain_text("lesson 2 of 6", timeout=TIMEOUT)
    expect(page.locator(".graph-summary")).to_contain_text("Output d = -5.0000", timeout=TIMEOUT)
    click(page, ".tour-close")
    expect(page.locator(".tour-start button")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function("() => location.hash.includes('d=') && !location.hash.includes('tour=')", timeout=TIMEOUT)
    app_page.assert_clean()


# The lesson's picture of a graph wider than its column: its scale, where its scroll box stands, the picture's
# width against the box's, and the names on its boxes (they live in the pane's shadow root). SCROLL_LEFT puts the
# box at its left end.
_HOST = """const find = (root) => { const hit = root.querySelector(selector); if (hit) return hit;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) return inner; }
    return null; };
  const host = find(document);"""
PICTURE = "(selector) => {" + _HOST + """
  const svg = host.shadowRoot.querySelector('svg.lesson-graph');
  return {scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width, scroll: host.scrollLeft,
          box: host.clientWidth, wide: host.scrollWidth,
          names: [...svg.querySelectorAll('text[font-weight="bold"]')].map((t) => t.textContent)};
}"""
SCROLL_LEFT = "(selector) => {" + _HOST + " host.scrollLeft = -host.scrollWidth; }"


def test_the_lessons_picture_of_a_big_graph_is_readable_and_scrolls_from_its_output(app_page):
    """The page's default graph (33 nodes) in the code lesson: drawn at 11/12 of its size at least (it was
    shrunk to the column's width: 12 px text at ~3 px), scrolling sideways from its output end, where backward
    starts; a step's redraw keeps where the student scrolled to; unnamed nodes are named as in the graph
    view (`10.0/f`, never `#31`)."""
    page = app_page.page
    page.locator(".bk-tab", has_text="Lesson").first.click()
    expect(page.locator(".lesson-code-picture svg.lesson-graph")).to_be_visible(timeout=TIMEOUT)
    seen = page.evaluate(PICTURE, ".lesson-code-picture")
    assert seen["scale"] >= 11 / 12 - 0.01 and seen["wide"] > seen["box"], seen
    assert seen["scroll"] == 0 or abs(seen["scroll"]) + seen["box"] >= seen["wide"] - 2, seen   # at its right end
    assert "10.0/f" in seen["names"] and not [n for n in seen["names"] if re.search(r"#\d", n)], seen["names"]
    # The student scrolls to the inputs (the left end), then steps: the picture stays where it was.
    page.evaluate(SCROLL_LEFT, ".lesson-code-picture")
    left = page.evaluate(PICTURE, ".lesson-code-picture")["scroll"]
    assert abs(left) >= seen["wide"] - seen["box"] - 2
    click(page, ".lesson-code-next")
    expect(page.locator(".lesson-code-picture g.lesson-current")).to_have_count(1, timeout=TIMEOUT)
    assert page.evaluate(PICTURE, ".lesson-code-picture")["scroll"] == left
