"""TourBar: the guided tour above the views: the lesson's title and text, Back and Next.

Opening a lesson is the app's business (`open_lesson(lesson)`: open its document, show its tool); the bar only
keeps the place in the tour. A tour link (`#tour=...&lesson=N`, playground/lesson/tour.py) opens it at lesson N;
`single=1` shows that lesson alone, without Back and Next (an embedded lesson). `place` is where the tour
stands, as the tour part of a link: the live document keeps it in the address, so a reload resumes there.
The bar shows only while a tour is open; its start button lives in the page's header (app.py)."""
import html

import panel as pn
import param

from ..shown_later import fill_when_shown
from . import tour as T
from .common import html_pane

# On a phone the tour's Back / Next / Close sit in a bar fixed over the window's bottom: in reach after a long
# lesson text, whatever the student scrolled to (page.py leaves room for it under the page).
NAV_CSS = """
@media (max-width: 600px) {
  :host {
    position: fixed !important; left: 0 !important; right: 0 !important; bottom: 0 !important; top: auto !important;
    width: auto !important; z-index: 1040; justify-content: center; gap: 4px; padding: 4px 8px;
    background: var(--bs-body-bg, #fff); box-shadow: 0 -2px 10px rgba(0, 0, 0, 0.2);
  }
}
"""


class TourBar(pn.viewable.Viewer):
    tour = param.Dict(default=None, allow_None=True)
    index = param.Integer(default=0, bounds=(0, None))
    single = param.Boolean(default=False)
    place = param.String(default="", doc="The tour part of the address ('tour=micrograd&lesson=3'); '' when closed.")

    def __init__(self, open_lesson, builtin, **params):
        super().__init__(**params)
        self._open_lesson, self._builtin = open_lesson, builtin
        self.start_button = pn.widgets.Button(label="Guided tour \u25b6", color="light", margin=(0, 10),
                                              css_classes=["tour-start"],
                                              description="micrograd, step by step: six short lessons")
        self.back_button = pn.widgets.Button(label="\u25c0 Back", css_classes=["tour-back"], width=90)
        self.next_button = pn.widgets.Button(label="Next \u25b6", color="primary", css_classes=["tour-next"],
                                             width=90)
        self.close_button = pn.widgets.Button(label="Close the tour", css_classes=["tour-close"], width=130)
        self.start_button.on_click(lambda _: self.open(self._builtin(), 0, name=T.BUILTIN))
        self.back_button.on_click(lambda _: self.go(self.index - 1))
        self.next_button.on_click(lambda _: self.go(self.index + 1))
        self.close_button.on_click(lambda _: self.param.update(tour=None, single=False))
        self.heading = html_pane("tour-heading", styles={"flex": "1 1 300px"})
        self.text = html_pane("tour-text")
        self.message = html_pane("tour-message")
        self._name = T.BUILTIN
        self.nav = pn.FlexBox(self.back_button, self.next_button, self.close_button, align_items="center",
                              css_classes=["tour-nav"], stylesheets=[NAV_CSS])
        self.bar = fill_when_shown(
            pn.Column(sizing_mode="stretch_width", css_classes=["tour-bar"], visible=False,
                      styles={"border-bottom": "1px solid #e3e5e8"}),
            lambda: [pn.FlexBox(self.heading, self.nav, align_items="center", sizing_mode="stretch_width"),
                     self.text])
        self.param.watch(self._draw, ["tour", "index", "single"])
        self._draw()

    def open(self, tour, index=0, single=False, name=None, resume=False):
        """Open a tour at a lesson. `name` is its `tour=` value in a link (packed when None); `resume` keeps
        what is on screen (a reload of the page's own address: the student's work wins over the lesson's)."""
        self._name = name or T.pack(tour)
        self.param.update(tour=tour, index=index, single=single)
        self.message.object = ""
        if not resume:
            self._open_lesson(tour["lessons"][index])

    def go(self, index):
        if self.tour is not None and 0 <= index < len(self.tour["lessons"]):
            self.index = index
            self._open_lesson(self.tour["lessons"][index])

    def open_fragment(self, fragment, resume=False):
        """Open the tour a link names (if any); a bad tour link is reported and changes nothing else."""
        try:
            found = T.read_tour_fragment(fragment or "", self._builtin)
        except T.TourError as error:
            self.message.object = (f"<p class='tour-error' role='alert'>This tour link could not be opened: "
                                   f"{html.escape(str(error))}.</p>")
            return
        if found is not None:
            tour, index, single = found
            self.open(tour, index, single, name=T.tour_name(fragment), resume=resume)

    def _draw(self, *_):
        tour = self.tour
        self.start_button.visible = tour is None
        self.bar.visible = tour is not None
        self.place = "" if tour is None else T.tour_link(None, self.index + 1, self.single, name=self._name)[1:]
        for widget in (self.back_button, self.next_button):
            widget.visible = tour is not None and not self.single
        self.close_button.visible = tour is not None and not self.single
        if tour is None:
            self.heading.object = self.text.object = ""
            return
        lesson, n = tour["lessons"][self.index], len(tour["lessons"])
        self.back_button.disabled = self.index == 0
        self.next_button.disabled = self.index == n - 1
        where = "" if self.single else f"{html.escape(tour['title'])} \u00b7 lesson {self.index + 1} of {n}: "
        self.heading.object = f"<h3 class='tour-title'>{where}{html.escape(lesson['title'])}</h3>"
        self.text.object = f"<div class='tour-lesson-text'>{T.text_html(lesson['text'])}</div>"

    def __panel__(self):
        # a wrapping row: on a narrow page (an embedded lesson) the buttons go under the title
        return pn.Column(self.bar, self.message, sizing_mode="stretch_width")
