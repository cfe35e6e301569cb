"""The loss and accuracy history of a run, bounded: a long visit does not grow.

One row is recorded per tick (and per edit), ~12 a second while playing. The history keeps the newest RECENT
rows whole and, of the older ones, one row per `stride` rows recorded; when it holds more than MAX_ROWS rows
the stride doubles (the older rows' density halves). So it never holds more than MAX_ROWS rows, the kept older
rows stay spread over the whole run (never more than ~2 strides apart), and the curves look the same: a few
hundred rows across a plot ~170 pixels wide is more than one a pixel. Of each stride's rows it keeps the one
that stands out most from its neighbours, so a one-row spike of the loss stays drawn.
"""

import numpy as np

MAX_ROWS = 400
RECENT = 100


def _numbers(row):
    """A row's values as numbers (a dict's values, None as 0; or the row itself)."""
    if isinstance(row, dict):
        return [0.0 if value is None else float(value) for value in row.values()]
    return [float(row)]


class ThinnedHistory:
    def __init__(self, max_rows=MAX_ROWS, recent=RECENT):
        self.max_rows, self.recent = max_rows, recent
        self.stride = 1
        self._serials = []   # each kept row's number among all rows ever recorded (0, 1, 2, ...)
        self.rows = []
        self._recorded = 0
        self.thinned = False  # rows were dropped since the last take()
        self._unseen = 0      # rows recorded since the last take()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def append(self, row):
        self.rows.append(row)
        self._serials.append(self._recorded)
        self._recorded += 1
        self._unseen += 1
        if len(self.rows) > self.max_rows:
            self._thin()

    def _thin(self):
        # First keep one row per stride among those older than the newest RECENT; only if that is not enough,
        # double the stride.
        while True:
            keep = self._kept()
            self.rows = [self.rows[k] for k in keep]
            self._serials = [self._serials[k] for k in keep]
            if len(self.rows) <= self.max_rows:
                break
            self.stride *= 2
        self.thinned = True

    def _kept(self):
        """The indices to keep: of the older rows, in each stride of serial numbers, the row that stands out most
        from its neighbours (the first row always); the newest RECENT all."""
        values = np.array([_numbers(row) for row in self.rows])
        scale = np.ptp(values, axis=0)
        values = values / np.where(scale > 0, scale, 1.0)
        padded = np.concatenate([values[:1], values, values[-1:]])
        salience = np.abs(values - (padded[:-2] + padded[2:]) / 2).sum(axis=1)
        salience[0] = np.inf
        keep, old = [], len(self.rows) - self.recent
        for k in range(len(self.rows)):
            if k >= old or not keep or self._serials[k] // self.stride != self._serials[keep[-1]] // self.stride:
                keep.append(k)
            elif salience[k] > salience[keep[-1]]:
                keep[-1] = k
        return keep

    def take(self):
        """(rows, whole) for the curves: the rows recorded since the last take (whole=False), or every kept row
        (whole=True) when older rows were dropped meanwhile."""
        whole = self.thinned or self._unseen > len(self.rows)
        rows = list(self.rows) if whole else self.rows[len(self.rows) - self._unseen:] if self._unseen else []
        self.thinned, self._unseen = False, 0
        return rows, whole
