"""Disguised copies of a solution, the ways students disguise them: identifiers renamed, functions
reordered, comments, docstrings, whitespace and string literals changed, dead code added. Each
disguise is seeded, so a failing test names a reproducible copy."""
import ast
import builtins
import random

HW1_API = {"linear", "linear_grad", "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad",
           "softmax", "l2_loss", "zero_one_loss", "softmax_cross_entropy", "mlp_forward", "mlp_backward",
           "sgd_step", "train_mlp"}
WORDS = ["val", "tmp", "thing", "data", "arr", "res", "q", "zz", "node", "item", "acc", "buf", "cur"]
KEPT = HW1_API | set(dir(builtins)) | {"np", "numpy", "math", "self"}


def disguise(source: str, seed: int, *, rename=True, reorder=True, strings=True, dead_code=True) -> str:
    rng = random.Random(seed)
    tree = ast.parse(source)
    if rename:
        tree = _Renamer(_defined_names(tree), rng).visit(tree)
    if strings:
        _change_strings(tree, rng)
    if dead_code:
        _add_dead_code(tree, rng)
    if reorder:
        _reorder(tree, rng)
    ast.fix_missing_locations(tree)
    # ast.unparse drops every comment and redoes all whitespace; add comments of our own.
    lines = ast.unparse(tree).splitlines()
    out = []
    for line in lines:
        if line.strip() and rng.random() < 0.15:
            out.append(" " * (len(line) - len(line.lstrip())) + f"# {rng.choice(WORDS)} step {rng.randint(1, 99)}")
        out.append(line)
        if rng.random() < 0.1:
            out.append("")
    return "\n".join(out) + "\n"


def _defined_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names - KEPT


class _Renamer(ast.NodeTransformer):
    def __init__(self, names: set[str], rng: random.Random):
        self.mapping = {name: f"{rng.choice(WORDS)}_{i}_{rng.randint(0, 999)}" for i, name in enumerate(sorted(names))}

    def visit_Name(self, node):
        node.id = self.mapping.get(node.id, node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.mapping.get(node.arg, node.arg)
        return node

    def visit_FunctionDef(self, node):
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node

    def visit_ClassDef(self, node):
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node


def _change_strings(tree: ast.AST, rng: random.Random) -> None:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body[0].value.value = f"{rng.choice(WORDS)} does {rng.choice(WORDS)}."
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 8:
            node.value = f"{rng.choice(WORDS)} {rng.randint(0, 9999)}"


def _add_dead_code(tree: ast.Module, rng: random.Random) -> None:
    for node in list(ast.walk(tree)):
        if isinstance(node, ast.FunctionDef) and rng.random() < 0.5:
            dead = ast.parse(f"{rng.choice(WORDS)}_unused = {rng.randint(2, 99)} * {rng.randint(2, 99)}").body[0]
            node.body.insert(rng.randint(1 if ast.get_docstring(node) else 0, len(node.body) - 1), dead)
    helper = ast.parse(f"def {rng.choice(WORDS)}_helper(x):\n    total = 0\n    for i in range(x):\n"
                       f"        total += i * {rng.randint(2, 9)}\n    return total\n").body[0]
    tree.body.insert(len(tree.body) // 2, helper)


def _reorder(tree: ast.Module, rng: random.Random) -> None:
    """Shuffle the top-level functions and classes among their own places: imports and module-level
    assignments stay where they are, so the module still runs."""
    places = [i for i, node in enumerate(tree.body) if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    movable = [tree.body[i] for i in places]
    rng.shuffle(movable)
    for i, node in zip(places, movable):
        tree.body[i] = node
