"""The training view's data drawer in the built site (Pyodide worker, headless Chromium): a bad CSV changes
nothing and says which line is wrong; a good one replaces the points and stays after a reload (the live
document keeps it); the points' CSV downloads and imports back to the same points; the model downloads as
JSON; every "Save picture" button, and the graph view's toolbar Save tool, download a real PNG as large as
the drawing on the page.
"""
import json
import struct
import zlib

from playwright.sync_api import expect

from playground import document as D
from tests.conftest import wait_until_interactive

TIMEOUT = 60_000

POINTS = """() => {
  const data = Bokeh.documents.at(-1).get_model_by_name('points').data_source.data;
  return [Array.from(data.x), Array.from(data.y)];
}"""
# The CSS size of a figure's canvas (what a PNG of it holds), times the page's pixel ratio, rounded.
CANVAS_SIZE = """(name) => {
  const view = Bokeh.index.find_one(Bokeh.documents.at(-1).get_model_by_name(name));
  const box = view.canvas_view.el.getBoundingClientRect();
  return [Math.round(box.width * devicePixelRatio), Math.round(box.height * devicePixelRatio)];
}"""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def point_count(page):
    return len(page.evaluate(POINTS)[0])


def png_facts(data):
    """(width, height, distinct bytes in the pixels) of a PNG, reading its chunks (the CRCs checked)."""
    assert data[:8] == PNG_SIGNATURE, data[:16]
    offset, size, pixels = 8, None, b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        crc, = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            pixels += body
        offset += 12 + length
    assert kind == b"IEND"
    return size[0], size[1], len(set(zlib.decompress(pixels)))


def same_size(png, canvas):
    """A canvas of fractional CSS width makes a PNG a pixel narrower or wider than its rounded size."""
    return all(abs(a - b) <= 1 for a, b in zip(png, canvas))


def download(page, selector):
    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator(selector).first.click()
    return info.value.suggested_filename, open(info.value.path(), "rb").read()


# 150 points in large units with word labels: they are scaled onto -1..1.
GOOD = "height,weight,species\n" + "".join(
    f"{150 + (i * 37) % 50},{40 + (i * 11) % 30},{'cat' if (i * 37) % 50 < 25 else 'dog'}\n" for i in range(150))
BAD = "x1,x2,label\n1,2,a\n3,abc,b\n4,5,a\n"


def test_import_export_model_and_pictures(app_page):
    page = app_page.page
    app_page.show_view("training")
    expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)
    page.locator(".train-data-tools button").click()
    file_input = page.locator(".train-csv-file input[type=file]")
    expect(file_input).to_be_attached(timeout=TIMEOUT)
    before = page.evaluate(POINTS)

    # A bad file: the message names line 3; the points stay.
    file_input.set_input_files(files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD.encode()}])
    message = page.locator(".train-csv-message")
    expect(message).to_contain_text("line 3: x2 is 'abc', not a number", timeout=TIMEOUT)
    expect(message).to_contain_text("Nothing was changed")
    assert page.evaluate(POINTS) == before

    # A good file: 150 points, scaled, labels named.
    file_input.set_input_files(files=[{"name": "pets.csv", "mimeType": "text/csv", "buffer": GOOD.encode()}])
    expect(message).to_contain_text("Imported 150 points: 'cat' as orange (-1), 'dog' as blue (+1)", timeout=TIMEOUT)
    expect(message).to_contain_text("each column scaled onto -1..1 (x1 150..199, x2 40..69 became -1..1)")
    page.wait_for_function("() => Bokeh.documents.at(-1).get_model_by_name('points').data_source.data.x.length"
                           " === 150", timeout=TIMEOUT)
    xs, ys = page.evaluate(POINTS)
    assert min(xs) == -1 and max(xs) == 1 and min(ys) == -1 and max(ys) == 1

    # The points' CSV: what the plot shows, with the split; pasted back it gives the same points.
    name, data = download(page, ".train-csv-download button")
    assert name == "micrograd-points-imported-seed1337.csv"
    lines = data.decode().splitlines()
    assert lines[0] == "x1,x2,label,split" and len(lines) == 151
    assert sum(line.endswith(",train") for line in lines) == 120        # 80 % train, the default share
    page.locator(".train-csv-text textarea").fill(data.decode())
    page.locator(".train-csv-import button").click()
    expect(message).to_contain_text("Imported 150 points: '-1' as orange (-1), '1' as blue (+1); coordinates kept",
                                    timeout=TIMEOUT)
    assert page.evaluate(POINTS) == [xs, ys]

    # The model: architecture and weights in the engine's order.
    page.locator(".train-step button").click()
    expect(page.locator(".train-step-count")).to_have_text("1", timeout=TIMEOUT)
    name, data = download(page, ".train-model-download button")
    model = json.loads(data)
    assert name == "micrograd-model.json" and model["layers"] == [16, 16, 1] and model["step"] == 1
    assert len(model["weights"]) == 3 * 16 + 17 * 16 + 17

    # Pictures: real PNGs as large as the drawings, not blank.
    for key, figure, filename in (("boundary", "decision_boundary", "micrograd-decision-boundary.png"),
                                  ("network", "network", "micrograd-network.png"),
                                  ("loss", "loss_curve", "micrograd-loss-curve.png"),
                                  ("accuracy", "accuracy_curve", "micrograd-accuracy-curve.png")):
        name, data = download(page, f".train-save-{key} button")
        width, height, shades = png_facts(data)
        assert name == filename
        assert same_size((width, height), page.evaluate(CANVAS_SIZE, figure)), key
        assert width >= 100 and height >= 100 and shades > 10, (key, width, height, shades)

    # The imported points are the document's: a reload brings them back.
    for _ in range(120):    # the address follows the document 300 ms after its last change
        doc = D.read_fragment(page.evaluate("location.hash"))[0]
        if doc and len(doc["training"].get("imported_points", [])) == 150:
            break
        page.wait_for_timeout(500)
    assert doc["training"]["dataset"] == "imported"
    page.reload()
    wait_until_interactive(page)
    app_page.show_view("training")
    page.wait_for_function("() => Bokeh.documents.at(-1).get_model_by_name('points').data_source.data.x.length"
                           " === 150", timeout=TIMEOUT)
    assert page.evaluate(POINTS) == [xs, ys]

    # The graph view's toolbar has Bokeh's Save tool.
    app_page.show_view("graph")
    save = page.locator(".graph-plot .bk-ClickButton[title='Save']")
    expect(save).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=TIMEOUT) as info:
        save.click()
    width, height, shades = png_facts(open(info.value.path(), "rb").read())
    assert info.value.suggested_filename == "micrograd-expression-graph.png"
    assert same_size((width, height), page.evaluate(CANVAS_SIZE, "graph_plot")) and shades > 10
    app_page.assert_clean()
