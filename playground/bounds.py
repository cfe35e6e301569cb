"""One check per kind of value, used by the document (links, files, the device) and by the widgets.

Each bound is declared once, on the param.Parameterized that holds the value (TrainingSettings,
GraphState, the document object): `check_param(parameter, value, where)` reads the bounds, the
choices or the item rules from that declaration. The document refuses what these refuse, and the
widgets refuse the same values at the widget, so the page never holds a state a link would refuse.
Every failure is a `Refused` (a ValueError) whose message is a sentence for the student.
"""
import math

import param


class Refused(ValueError):
    """A value outside what its declaration allows; the message is meant for the user."""


def number(value, where, lo, hi, inclusive=(True, True)):
    # bool is an int in Python; true/false is not a number in a document.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused(f"{where} must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise Refused(f"{where} must be a finite number")
    low_ok = lo is None or (lo <= value if inclusive[0] else lo < value)
    high_ok = hi is None or (value <= hi if inclusive[1] else value < hi)
    if not (low_ok and high_ok):   # also stops huge ints before float() could overflow
        raise Refused(f"{where} must be {describe(lo, hi, inclusive)}")
    return float(value)


def integer(value, where, lo, hi):
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(f"{where} must be a whole number")
    if not lo <= value <= hi:
        raise Refused(f"{where} must be {describe(lo, hi)}")
    return value


def describe(lo, hi, inclusive=(True, True)):
    """'between 0 and 0.5', 'more than 0 and at most 1000000', ..."""
    def show(x):
        return f"{x:g}" if isinstance(x, float) else str(x)
    if inclusive == (True, True):
        return f"between {show(lo)} and {show(hi)}"
    low = f"more than {show(lo)}" if not inclusive[0] else f"at least {show(lo)}"
    high = f"less than {show(hi)}" if not inclusive[1] else f"at most {show(hi)}"
    return f"{low} and {high}"


def text(value, where, max_chars):
    if not isinstance(value, str):
        raise Refused(f"{where} must be text")
    if len(value) > max_chars:
        raise Refused(f"{where} is longer than {max_chars} characters")
    if any((ord(c) < 32 and c not in "\n\t") or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise Refused(f"{where} contains control characters")
    return value


def choice(value, where, options):
    if isinstance(value, bool) or value not in options:
        raise Refused(f"{where} must be one of {', '.join(map(str, options))}")
    return value


def items(value, where, max_items):
    if not isinstance(value, list):
        raise Refused(f"{where} must be a list")
    if len(value) > max_items:
        raise Refused(f"{where} has more than {max_items} items")
    return value


def choices(parameter):
    """The stored values a Selector allows (a dict of shown name -> stored value stores the values)."""
    objects = parameter.objects
    return list(objects.values()) if isinstance(objects, dict) else list(objects)


def check_param(owner, name, value, where=None):
    """Check `value` for the parameter `name` of `owner` (a Parameterized class or instance) against
    its own declaration: Number and Integer bounds (a document holds no unbounded number), Selector
    choices. What param cannot declare (a text's length, a list's items) the class declares beside it
    in `RULES = {name: (most characters or items, item_check or None)}`."""
    parameter = owner.param[name]
    where = where or name
    rule = getattr(owner, "RULES", {}).get(name)
    if isinstance(parameter, param.Integer):
        lo, hi = parameter.bounds
        return integer(value, where, lo, hi)
    if isinstance(parameter, param.Number):
        lo, hi = parameter.bounds
        return number(value, where, lo, hi, parameter.inclusive_bounds)
    if isinstance(parameter, param.Selector):
        return choice(value, where, choices(parameter))
    if isinstance(parameter, param.Boolean):
        if not isinstance(value, bool):
            raise Refused(f"{where} must be true or false")
        return value
    if rule is None:
        raise TypeError(f"{type(owner).__name__}.{name}: declare its rule in RULES")
    if isinstance(parameter, param.String):
        return text(value, where, rule[0])
    if isinstance(parameter, param.List):
        max_items, item_check = rule
        return [item_check(item, f"{where}[{i}]") for i, item in enumerate(items(value, where, max_items))]
    raise TypeError(f"no check for a {type(parameter).__name__} ({where})")
