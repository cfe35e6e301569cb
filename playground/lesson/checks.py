"""The condition language of exercises: what a lesson's `check` may say about the live document. Pure (no Panel).

A condition is JSON data, never code. The reference is docs/teachers-guide.md ("The condition language"):

    {"all": [C, ...]}  /  {"any": [C, ...]}       every / at least one of 1 to MAX_ITEMS conditions
    {"node": "a", "grad": TEST}                  the grad of the node named a (after backward)
    {"node": "a", "value": TEST}                 its value (data); a leaf the graph does not use counts too
    {"output": TEST}                             the graph's output value
    {QUANTITY: TEST}                             a training quantity (TRAINING below), e.g. {"loss": {"max": 0.1}}
      + "within_steps": N                        ... reached within N training steps (training quantities only)

    TEST:  a number (equal, within "tol": default DEFAULT_TOL), {"min": x, "max": y} (either or both,
           inclusive), {"sign": "+" | "-" | "0"}, true / false (for "diverged"), or a name (for a
           setting: "dataset", "activation", "optimizer", "loss_function")

check_condition(data) refuses anything else with a sentence for the teacher (CheckError). evaluate(condition,
facts) says whether it holds and what was checked, line by line; `facts` is anything with
fact(quantity, node=None) -> the number (or name, or bool) or None when it is not known (lesson/facts.py reads
the live document).
"""
import math
import re

MAX_ITEMS = 10
MAX_DEPTH = 4
MAX_STEPS = 1_000_000
DEFAULT_TOL = 1e-6
NAME = re.compile(r"[A-Za-z_]\w{0,39}\Z")
GRAPH = ("value", "grad")
# training quantity -> (kind, what the student reads): numbers, a yes/no, or a setting's name
TRAINING = {
    "loss": ("number", "the training loss"),
    "test_loss": ("number", "the test loss"),
    "train_accuracy": ("fraction", "the training accuracy"),
    "test_accuracy": ("fraction", "the test accuracy"),
    "training_step": ("number", "the training step"),
    "learning_rate": ("number", "the learning rate"),
    "hidden_neurons": ("number", "the hidden neurons (all layers)"),
    "hidden_layers": ("number", "the hidden layers"),
    "diverged": ("bool", "the training diverged"),
    "dataset": ("name", "the data set"),
    "activation": ("name", "the activation"),
    "optimizer": ("name", "the optimizer"),
    "loss_function": ("name", "the loss function"),
}
SIGNS = {"+": "positive", "-": "negative", "0": "zero"}


class CheckError(ValueError):
    """A condition that cannot be checked; the message says why, for the teacher."""


def _number(value, where, lo=-1e15, hi=1e15):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not lo <= value <= hi:
        raise CheckError(f"{where} must be a number between {lo:g} and {hi:g}")
    return float(value)


def _test(test, where, kind):
    """A TEST, checked for a quantity of this kind."""
    if kind == "bool":
        if not isinstance(test, bool):
            raise CheckError(f"{where} must be true or false")
        return test
    if kind == "name":
        if not isinstance(test, str) or not NAME.match(test):
            raise CheckError(f"{where} must be a name, like \"circles\"")
        return test
    if isinstance(test, dict):
        if set(test) == {"sign"}:
            if test["sign"] not in SIGNS:
                raise CheckError(f"{where}'s sign must be \"+\", \"-\" or \"0\"")
            return {"sign": test["sign"]}
        if not test or set(test) - {"min", "max"}:
            raise CheckError(f"{where} must be a number, {{\"min\": ..., \"max\": ...}} or {{\"sign\": \"+\"}}")
        clean = {key: _number(test[key], f"{where}'s {key}") for key in ("min", "max") if key in test}
        if clean.get("min", -math.inf) > clean.get("max", math.inf):
            raise CheckError(f"{where}'s min is above its max: nothing could pass")
        return clean
    return _number(test, where)


def check_condition(condition, where="the check", depth=1):
    """A clean copy of a condition, or CheckError saying what is wrong."""
    if depth > MAX_DEPTH:
        raise CheckError(f"{where} nests deeper than {MAX_DEPTH} levels")
    if not isinstance(condition, dict) or not condition:
        raise CheckError(f"{where} must be an object such as {{\"node\": \"a\", \"grad\": 0}}")
    for joiner in ("all", "any"):
        if joiner in condition:
            items = condition[joiner]
            if set(condition) != {joiner} or not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
                raise CheckError(f"{where}: \"{joiner}\" takes a list of 1 to {MAX_ITEMS} conditions, alone")
            return {joiner: [check_condition(c, f"{where}, {joiner}[{i}]", depth + 1) for i, c in enumerate(items)]}
    keys = set(condition)
    if "node" in keys:
        name = condition["node"]
        if not isinstance(name, str) or not NAME.match(name):
            raise CheckError(f"{where}: \"node\" must name a node of the program, like \"a\"")
        quantity = keys & set(GRAPH)
        if len(quantity) != 1 or keys - {"node", "tol", *GRAPH}:
            raise CheckError(f"{where}: a node condition is {{\"node\": \"a\", \"grad\" or \"value\": TEST}} "
                             f"(and \"tol\")")
        quantity = quantity.pop()
        clean = {"node": name, quantity: _test(condition[quantity], f"{where}'s {quantity}", "number")}
    else:
        quantity = keys & ({"output"} | set(TRAINING))
        if len(quantity) != 1:
            known = ", ".join(["node", "output", *TRAINING, "all", "any"])
            raise CheckError(f"{where} must say what it checks: one of {known}")
        quantity = quantity.pop()
        extra = keys - {quantity, "tol"} - ({"within_steps"} if quantity in TRAINING else set())
        if extra:
            raise CheckError(f"{where} has an unknown field {sorted(extra)[0][:40]!r}")
        kind = "number" if quantity == "output" else TRAINING[quantity][0]
        clean = {quantity: _test(condition[quantity], f"{where}'s {quantity}", kind)}
        if "within_steps" in condition:
            steps = condition["within_steps"]
            if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
                raise CheckError(f"{where}'s within_steps must be a whole number from 1 to {MAX_STEPS:,}")
            clean["within_steps"] = steps
    if "tol" in condition:
        if not isinstance(clean[quantity], float):
            raise CheckError(f"{where}: \"tol\" goes with a number to equal")
        clean["tol"] = _number(condition["tol"], f"{where}'s tol", 0, 1e6)
    return clean


# ---------------------------------------------------------------------------------------------------------
# Evaluating

def _subject(condition):
    """(quantity, node or None, the words for it)."""
    if "node" in condition:
        quantity = "grad" if "grad" in condition else "value"
        return quantity, condition["node"], f"{condition['node']}.{'grad' if quantity == 'grad' else 'data'}"
    if "output" in condition:
        return "output", None, "the output"
    quantity = next(k for k in condition if k in TRAINING)
    return quantity, None, TRAINING[quantity][1]


def _show(x, quantity):
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, str):
        return x
    if quantity in TRAINING and TRAINING[quantity][0] == "fraction":
        return f"{100 * x:.1f} %"
    return f"{x:.6g}"


def describe(condition):
    """What a condition asks, in words: 'a.grad = 0 (within 1e-06)', 'the test accuracy at least 90.0 %'."""
    if "all" in condition or "any" in condition:
        joiner = "all" if "all" in condition else "any"
        parts = [describe(c) for c in condition[joiner]]
        return (" and " if joiner == "all" else " or ").join(parts)
    quantity, _, words = _subject(condition)
    test = condition[quantity]
    if isinstance(test, dict) and "sign" in test:
        text = f"{words} {SIGNS[test['sign']]}"
    elif isinstance(test, dict):
        bounds = [f"at least {_show(test['min'], quantity)}" if "min" in test else "",
                  f"at most {_show(test['max'], quantity)}" if "max" in test else ""]
        text = f"{words} " + " and ".join(b for b in bounds if b)
    elif isinstance(test, bool):
        text = f"{words}: {'yes' if test else 'no'}"
    elif isinstance(test, str):
        text = f"{words} is {test}"
    else:
        text = f"{words} = {_show(test, quantity)} (within {condition.get('tol', DEFAULT_TOL):g})"
    if "within_steps" in condition:
        text += f" within {condition['within_steps']:,} training steps"
    return text


def _passes(test, value, tol):
    if isinstance(test, (bool, str)):
        return value == test
    if isinstance(value, (bool, str)) or not math.isfinite(value):
        return False
    if isinstance(test, dict) and "sign" in test:
        return {"+": value > 0, "-": value < 0, "0": value == 0}[test["sign"]]
    if isinstance(test, dict):
        return test.get("min", -math.inf) <= value <= test.get("max", math.inf)
    return abs(value - test) <= tol


def evaluate(condition, facts):
    """(holds, lines): whether the condition holds on these facts, and one line per simple condition saying
    what was checked and what was found ('✓ a.grad = 0 (within 1e-06): it is 0')."""
    for joiner, combine in (("all", all), ("any", any)):
        if joiner in condition:
            results = [evaluate(c, facts) for c in condition[joiner]]
            return combine(ok for ok, _ in results), [line for _, lines in results for line in lines]
    quantity, node, _ = _subject(condition)
    value = facts.fact(quantity, node)
    wanted = describe(condition)
    if value is None:
        missing = f"there is no node named {node} in the graph" if node else "not known yet"
        return False, [f"\u2717 {wanted}: {missing}"]
    test = condition[quantity]
    ok = _passes(test, value, condition.get("tol", DEFAULT_TOL))
    found = f"it is {_show(value, quantity)}"
    if ok and "within_steps" in condition:
        step = facts.fact("training_step") or 0
        if step > condition["within_steps"]:
            ok, found = False, f"{found}, but after {int(step):,} steps: reset the run and try again"
    mark = "\u2713" if ok else "\u2717"
    return ok, [f"{mark} {wanted}: {found}"]
