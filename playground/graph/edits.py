"""Point-and-click edits as edits of the program text, so text and drawing stay one document.

Each function takes the program text and returns the new text, or raises ProgramError with a message for
the user. Edits touch only the characters they must (positions come from `ast`), so comments and layout
survive. Leaves go after the last leaf, new operations at the end (they become the output).
"""

import ast
import keyword

from .language import FUNCTIONS, NAME, OPERATORS, ProgramError, parse_program

OPERATIONS = OPERATORS + FUNCTIONS  # what the edit card offers: `a op b` and `f(a)` (from engine/ops.py)


def _check_new_name(name, program):
    if not NAME.match(name) or keyword.iskeyword(name):
        raise ProgramError(f"{name!r} is not a valid name (ASCII letters, digits and _, not starting with a digit)")
    if name in FUNCTIONS:
        raise ProgramError(f"{name!r} is a function name; pick another name")
    if any(stmt.name == name for stmt in program.statements):
        raise ProgramError(f"there is already a node named {name!r}")


def _statement(program, name):
    for stmt in program.statements:
        if stmt.name == name:
            return stmt
    raise ProgramError(f"there is no node named {name!r}")


def _replace_spans(text, spans):
    """Replace (line, start_byte, end_byte, new) spans; ast columns count UTF-8 bytes, not characters."""
    lines = text.splitlines(keepends=True)
    for line, start, end, new in sorted(spans, reverse=True):
        raw = lines[line - 1].encode("utf-8")
        lines[line - 1] = (raw[:start] + new.encode("utf-8") + raw[end:]).decode("utf-8")
    return "".join(lines)


def _number_text(value):
    value = float(value)
    return repr(int(value)) + ".0" if value.is_integer() and abs(value) < 1e15 else repr(value)


def set_leaf(text, name, value):
    """Write a new value into the leaf's line: `a = 2.0` becomes `a = 3.5`."""
    program = parse_program(text)
    if name not in program.leaves:
        raise ProgramError(f"{name!r} is not a leaf (a name assigned a plain number)")
    expr = _statement(program, name).expr
    if expr.lineno != expr.end_lineno:
        raise ProgramError(f"the value of {name!r} spans several lines")
    return _replace_spans(text, [(expr.lineno, expr.col_offset, expr.end_col_offset, _number_text(value))])


def add_leaf(text, name, value):
    program = parse_program(text)
    _check_new_name(name, program)
    line = f"{name} = {_number_text(value)}\n"
    leaf_lines = [stmt.line for stmt in program.statements if stmt.name in program.leaves]
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    at = _end_line(text, max(leaf_lines)) if leaf_lines else 0
    lines.insert(at, line)
    return "".join(lines)


def _end_line(text, line):
    """The last line of the statement that starts on `line` (1-based)."""
    for stmt in ast.parse(text).body:
        if stmt.lineno == line:
            return stmt.end_lineno
    return line


def add_operation(text, name, op, inputs):
    """Append `name = a op b` (or `name = f(a)`); it becomes the new output. `**` takes a number exponent."""
    program = parse_program(text)
    _check_new_name(name, program)
    if op not in OPERATIONS:
        raise ProgramError(f"unknown operation {op!r}; use one of {', '.join(OPERATIONS)}")
    needed = 2 if op in OPERATORS else 1
    if len(inputs) != needed:
        raise ProgramError(f"{op} takes {needed} input{'s' if needed > 1 else ''}")
    expression = f"{op}({inputs[0]})" if op in FUNCTIONS else f"{inputs[0]} {op} {inputs[1]}"
    new_text = text + ("" if not text or text.endswith("\n") else "\n") + f"{name} = {expression}\n"
    parse_program(new_text)  # unknown inputs or a bad exponent are reported here, before anything changes
    return new_text


def delete(text, name):
    """Remove a node's line; refused while other lines still use it."""
    program = parse_program(text)
    stmt = _statement(program, name)
    users = [other.name for other in program.statements
             if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(other.expr))]
    if users:
        raise ProgramError(f"{name!r} is used by {', '.join(users)}; delete or change those first")
    lines = text.splitlines(keepends=True)
    del lines[stmt.line - 1:_end_line(text, stmt.line)]
    return "".join(lines)


def rename(text, old, new):
    """Rename a node everywhere it appears (its assignment and every use)."""
    program = parse_program(text)
    _statement(program, old)
    _check_new_name(new, program)
    spans = [(n.lineno, n.col_offset, n.end_col_offset, new)
             for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Name) and n.id == old]
    return _replace_spans(text, spans)
