"""Panels the student may never open, drawn only once they are first shown.

A hidden Panel layout is still rendered: its Bokeh models go into the page's first render and every visitor's
saved start (sitebuild/snapshot.py), which the 15 MB budget of a first answer pays for. Predict mode, an
exercise and the Undo bar are hidden on a fresh page, so their contents are put in the page the first time
they show.
"""


def fill_when_shown(column, build):
    """Fill `column` (a Panel layout) with build()'s list of objects the first time column.visible is true."""
    def fill(*_):
        if column.visible and not column.objects:
            column.objects = list(build())
    column.param.watch(fill, "visible")
    fill()
    return column
