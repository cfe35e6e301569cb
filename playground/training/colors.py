"""The training view's colours: TensorFlow Playground's orange and blue, which colour-blind readers can tell apart."""

import numpy as np

ORANGE = "#f59322"  # label -1, negative weights
BLUE = "#0877bd"    # label +1, positive weights
ORANGE_TEXT = "#b35806"  # the orange of words on white: 4.9:1 (ORANGE is 2.3:1, fine for lines and dots only)
NEUTRAL = "#e8eaeb"  # the decision boundary, a zero weight


def _mix(color_a, color_b, t):
    """The colour a fraction t of the way from color_a to color_b."""
    a = [int(color_a[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(color_b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def diverging_palette(n=64, strength=0.55):
    """n colours from pale orange (-1) through light grey (0) to pale blue (+1), for the heatmap.
    Paler than the points (strength < 1), so a point stays visible on its own side of the boundary."""
    half = n // 2
    pale_orange, pale_blue = _mix(NEUTRAL, ORANGE, strength), _mix(NEUTRAL, BLUE, strength)
    orange_half = [_mix(pale_orange, NEUTRAL, i / half) for i in range(half)]
    blue_half = [_mix(NEUTRAL, pale_blue, (i + 1) / (n - half)) for i in range(n - half)]
    return orange_half + blue_half


def label_color(label):
    return BLUE if label > 0 else ORANGE


LEVELS = 255  # pictures travel to the page as bytes: -1 -> 0, 0 -> 127.5, +1 -> 255 (a quarter of float32's size)


def to_levels(values):
    """Values in [-1, 1] as uint8 levels 0 .. LEVELS, for an image with a LinearColorMapper(low=0, high=LEVELS)."""
    return np.round((np.asarray(values, dtype=float) + 1.0) * (LEVELS / 2)).astype(np.uint8)
