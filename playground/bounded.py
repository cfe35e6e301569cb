"""Number fields that refuse, at the field, what the document would refuse.

A field is made for one declared parameter (say TrainingSettings.learning_rate) and checks a typed
value with the same check the document uses (playground/bounds.py reads the declaration). A value
it refuses is never kept: the field shows the value the page holds again and says, under it, what
was refused and why. So Share, Download and a reload always work on what the page shows.
"""
import html

import panel as pn

from . import bounds

NOTE_STYLE = {"color": "#a33", "font-size": "0.85em", "margin-top": "-4px"}


class RefusedNote:
    """A small line under a field saying what was refused (plain text, escaped)."""

    def __init__(self, css_class):
        self.pane = pn.pane.HTML("", visible=False, css_classes=["refused-note", css_class], styles=NOTE_STYLE,
                                 margin=(0, 10))

    def say(self, text):
        self.pane.object = f"<span role='alert'>{html.escape(text)}</span>" if text else ""
        self.pane.visible = bool(text)


def shown(value):
    return "an empty field" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


class BoundedInput(pn.viewable.Viewer):
    """A FloatInput or IntInput for `owner.<name>`, both ways, refusing what the declaration refuses."""

    def __init__(self, owner, name, widget_type=pn.widgets.FloatInput, label=None, css_class=None, **kwargs):
        super().__init__()
        self.owner, self.parameter = owner, name
        self.label = label or owner.param[name].label
        css_class = css_class or f"field-{name.replace('_', '-')}"
        self.input = widget_type(label=self.label, value=getattr(owner, name), css_classes=[css_class], **kwargs)
        self.note = RefusedNote(f"{css_class}-refused")
        self.input.param.watch(self._typed, "value")
        owner.param.watch(self._held, name)

    def _typed(self, event):
        held = getattr(self.owner, self.parameter)
        if event.new == held:
            return
        try:
            if event.new is None:
                raise bounds.Refused(f"{self.label} must be a number")
            value = bounds.check_param(self.owner, self.parameter, event.new, self.label)
        except bounds.Refused as error:
            self.note.say(f"{shown(event.new)} refused: {error}. Kept {shown(held)}.")
            self.input.value = held   # the page shows what the page holds
            return
        self.note.say("")
        setattr(self.owner, self.parameter, value)

    def _held(self, event):
        self.input.value = event.new

    def __panel__(self):
        return pn.Column(self.input, self.note.pane, margin=0)
