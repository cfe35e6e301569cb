"""Nothing replaces the student's work without a way back (playground/undo.py), played in the built site: a
custom program, a trained run and an added point; the guided tour opened and closed gives them all back; a
data set chosen over the trained run and a preset over the program are one Undo away (pressed from the
keyboard), and the way back survives a reload; a tour link and a share link opened in a new page over the work
kept on the device keep it too. The bar is announced by the live region and leaves axe-core with nothing to
report."""
from playwright.sync_api import expect

from playground import document as D
from playground.graph.presets import PRESETS
from playground.live_document import default_document
from tests.browser.axe import describe, violations
from tests.browser.test_accessibility import RECORD_SAID, wait_said
from tests.browser.test_training_view import POINT_COUNT, click_on_plot
from tests.conftest import wait_until_interactive

TIMEOUT = 60_000   # each click goes to the worker's Python and back; the machine may be busy
MY_PROGRAM = "p = 1.5\nq = p * p + p"


def work(app_page):
    """What the student sees of their work: the program text, the training step, the number of points."""
    page = app_page.page
    app_page.show_view("graph")
    program = page.locator(".graph-program textarea").input_value()
    app_page.show_view("training")
    page.locator(".train-step-count").wait_for(timeout=TIMEOUT)
    return program, page.locator(".train-step-count").inner_text(), page.evaluate(POINT_COUNT)


def test_the_tour_and_a_preset_give_the_students_work_back(app_page):
    page = app_page.page
    bar, back = page.locator(".saved-work-message"), page.locator(".saved-work-back button")
    expect(back).to_be_hidden()                                   # nothing replaced yet: no bar

    # The student's work: a program of their own, a run trained a while, a point added by a click.
    program = page.locator(".graph-program textarea")
    program.fill(MY_PROGRAM)
    page.locator(".graph-draw button").click()
    expect(page.locator(".graph-summary")).to_contain_text("Output q = 3.7500", timeout=TIMEOUT)
    app_page.show_view("training")
    steps = page.locator(".train-step-count")
    page.locator(".train-play button").click()
    expect(steps).not_to_have_text("0", timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    page.locator(".train-pause button").click()
    expect(page.locator(".train-play button")).to_be_enabled(timeout=TIMEOUT)
    page.locator(".train-click-mode button", has_text="+ blue").click()
    count = page.evaluate(POINT_COUNT)
    click_on_plot(page, -1.0, -1.0)
    page.wait_for_function(f"() => ({POINT_COUNT})() === {count + 1}", timeout=TIMEOUT)
    mine = work(app_page)
    assert mine[0] == MY_PROGRAM and int(mine[1]) > 0 and mine[2] == count + 1

    # The tour opens its own lesson: the work is kept, and "Back to my work" is offered (and announced).
    page.evaluate(RECORD_SAID)
    page.locator(".tour-start button").click()
    expect(page.locator(".tour-heading")).to_contain_text("lesson 1 of 6", timeout=TIMEOUT)
    expect(back).to_have_text("Back to my work", timeout=TIMEOUT)
    expect(bar).to_contain_text("Your work is kept")
    wait_said(page, "Your work is kept")
    app_page.show_view("graph")
    expect(program).not_to_have_value(MY_PROGRAM)                # the lesson's program is on screen
    page.locator(".tour-next button").click()
    expect(page.locator(".tour-heading")).to_contain_text("lesson 2 of 6", timeout=TIMEOUT)
    expect(back).to_have_text("Back to my work")                  # still the work from before the tour
    found = violations(page)
    assert found == [], describe(found)

    # Closing the tour brings back the program, the trained run (its step count) and the added point.
    page.locator(".tour-close button").click()
    expect(page.locator(".tour-start button")).to_be_visible(timeout=TIMEOUT)
    expect(bar).to_contain_text("your work is back", timeout=TIMEOUT)
    expect(program).to_have_value(MY_PROGRAM, timeout=TIMEOUT)
    assert work(app_page) == mine

    # Another data set starts a new run over the trained one: Undo brings back the run and the added point.
    page.locator(".train-dataset select").select_option("circles")
    expect(bar).to_contain_text("Changing the data set started a new training run.", timeout=TIMEOUT)
    expect(steps).to_have_text("0", timeout=TIMEOUT)
    back.click()
    expect(page.locator(".train-dataset select")).to_have_value("moons", timeout=TIMEOUT)
    expect(steps).to_have_text(mine[1], timeout=TIMEOUT)
    assert work(app_page) == mine

    # A preset over the program: Undo (from the keyboard) brings the program back.
    app_page.show_view("graph")
    page.locator(".graph-editor select").select_option("tanh neuron")
    expect(bar).to_contain_text("The preset \u201ctanh neuron\u201d replaced your program.", timeout=TIMEOUT)
    expect(program).not_to_have_value(MY_PROGRAM)
    expect(back).to_have_text("Undo")
    back.focus()
    page.keyboard.press("Enter")
    expect(program).to_have_value(MY_PROGRAM, timeout=TIMEOUT)
    expect(back).to_have_text("Redo", timeout=TIMEOUT)

    # The way back is kept on the device: after a reload, Redo brings the preset back.
    page.wait_for_timeout(500)                                    # the address follows 300 ms after a change
    page.reload()
    wait_until_interactive(page)
    expect(program).to_have_value(MY_PROGRAM, timeout=TIMEOUT)
    expect(back).to_have_text("Redo", timeout=TIMEOUT)
    back.click()
    expect(program).to_have_value(PRESETS["tanh neuron"], timeout=TIMEOUT)
    back.click()                                                  # Undo: the student's work again
    expect(program).to_have_value(MY_PROGRAM, timeout=TIMEOUT)

    # A tour link opened in a new page, over the work kept on the device: the tour opens its lesson (the
    # address named it) and keeps the work; Back to my work brings it back, the run and the point included.
    page.wait_for_timeout(1000)                                   # the device follows 300 ms after a change
    page.goto("about:blank")
    page.goto(app_page.site_url + "#tour=micrograd&lesson=1")
    wait_until_interactive(page)
    expect(page.locator(".tour-heading")).to_contain_text("lesson 1 of 6", timeout=TIMEOUT)
    expect(program).not_to_have_value(MY_PROGRAM, timeout=TIMEOUT)
    expect(back).to_have_text("Back to my work", timeout=TIMEOUT)
    back.click()
    expect(page.locator(".tour-start button")).to_be_visible(timeout=TIMEOUT)
    expect(program).to_have_value(MY_PROGRAM, timeout=TIMEOUT)
    assert work(app_page) == mine

    # A share link opened in a new page replaces the device's copy: that copy is one Undo away.
    page.wait_for_timeout(1000)
    page.goto("about:blank")
    page.goto(app_page.site_url + D.make_fragment(default_document()))
    wait_until_interactive(page)
    expect(program).to_have_value(default_document()["graph"]["program"], timeout=TIMEOUT)
    expect(bar).to_contain_text("A link replaced the work kept on this device.", timeout=TIMEOUT)
    back.click()
    expect(program).to_have_value(MY_PROGRAM, timeout=TIMEOUT)
    assert work(app_page) == mine
    app_page.assert_clean()
