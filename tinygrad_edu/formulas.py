"""An op's formula in the names of the tensors it works on, and the course's names for a net's tensors.

Each op's `formula` uses its own letters (`A = σ(Z) · dZ = dA ⊙ A ⊙ (1 − A)`); the drawings,
the backprop page and a recorded step's listing write it with the names of the tensors in
hand (`A1 = σ(Z1) · dZ1 = dA1 ⊙ A1 ⊙ (1 − A1)`), and name a net's tensors as the course does.
"""
import re

_ACTIVATIONS = {"sigmoid", "tanh", "relu", "leaky_relu", "softmax", "log_softmax"}


def course_letters(recorded, parameters):
    """{id: name} in the course's letters for the op-made tensors in `recorded` (recording order)
    and the parameters they use (`parameters`: the ids to name; a tensor named by its user keeps
    its name).

    The k-th linear op is layer k: its weight and bias are Wk and Bk, its output Zk and the
    activation on it Ak, and the first layer's unnamed input is X (A0), so a formula reads
    `Z2 = A1·W2 + B2 · dW2 = A1ᵀ·dZ2`.
    """
    names, layer = {}, 0
    for t in recorded:
        if t.op == "linear":
            if layer == 0 and t.parents[0].op is None and not t.parents[0].name:
                names[id(t.parents[0])] = "X"
            layer += 1
            for parent, letter in zip(t.parents[1:], "WB"):
                if id(parent) in parameters and id(parent) not in names:      # named by the first layer using it
                    names[id(parent)] = f"{letter}{layer}"
            if not t.name:
                names[id(t)] = f"Z{layer}"
        elif t.op in _ACTIVATIONS and not t.name and names.get(id(t.parents[0])) == f"Z{layer}":
            names[id(t)] = f"A{layer}"
    return names


def rule_of(t, name):
    """The rule of the op that made t, with each tensor called `name(tensor)` (None keeps the
    op's letter); inputs that get no gradient (X, a number) lose their backward rule."""
    return named_formula(t.formula or "", name(t), [name(p) for p in t.parents],
                         without=[i for i, p in enumerate(t.parents) if not p.requires_grad])


def named_formula(formula, output, inputs, without=()):
    """The op's formula with its letters replaced by the names of the tensors on screen.

    The forward part says which letters are which: the left side of its last statement is
    the output, and the other capitals, in order of appearance, are the inputs
    (`A = σ(Z) · dZ = dA ⊙ A ⊙ (1 − A)` with Z named Z1, A named A1 gives
    `A1 = σ(Z1) · dZ1 = dA1 ⊙ A1 ⊙ (1 − A1)`). Unnamed tensors keep their letters. The
    backward rules of the inputs at the positions in `without` (inputs that get no
    gradient, such as X or a number) are left out.
    """
    forward = formula.split(" · ")[0]
    outputs = re.findall(r"(?:^|,\s*)([A-Z])\s*=", forward)
    letters = []
    for letter in re.findall(r"(?<![A-Za-z])[A-Z](?![A-Za-z])", forward):
        if letter not in outputs and letter not in letters:
            letters.append(letter)
    if without and " · " in formula:
        dropped = {f"d{letters[i]} =" for i in without if i < len(letters)}
        rules = re.split(r", (?=d[A-Z] =)", formula.split(" · ", 1)[1])
        kept = [rule for rule in rules if not rule.startswith(tuple(dropped))]
        formula = forward + " · " + ", ".join(kept) if kept else forward
    mapping = dict(zip(letters, inputs))
    if outputs:
        mapping[outputs[-1]] = output
    mapping = {letter: name for letter, name in mapping.items() if name}
    if not mapping:
        return formula

    def named(match):
        d, letter = match.groups()
        name = mapping.get(letter, letter)
        return f"d({name})" if d and not name.isidentifier() else d + name     # d(0.weight), not d0.weight
    return re.sub(r"(?<![A-Za-z0-9_.])(d?)([A-Z])(?![A-Za-z0-9_])", named, formula)
