"""A recorded step: run a function once through the engine, then replay only its ops.

`traced = trace(fn)`; the first call for a signature (each input's shape, dtype and
requires_grad) runs `fn` as usual and reads the ops it recorded off the tape. Every later
call with that signature replays them: each op's own `forward` on arrays, in recording
order, as one node of the engine's graph whose backward runs each op's own `backward`
in the engine's order. What the engine decides on every step (which tensors an op read,
which inputs need a gradient, in what order gradients reach each tensor) is decided once,
at record time; the numbers are the same numpy calls in the same order, so a replay equals
the eager run bit for bit.

What a record freezes, as `torch.jit.trace` does: Python control flow in `fn` (the branch
taken on the first call is the branch replayed), and the ops' settings (an axis, a
reduction). A tensor `fn` closes over (a parameter) is read afresh at each replay, so an
optimizer's updates are seen; so is a loss's target passed as an input. An array `fn` closes
over is read through the same array object: changed in place it is seen, replaced by
another array it is not. A value that `fn` computes from its inputs outside the ops (with
numpy on `x.data`) is frozen at its first value: keep such work in ops, or outside `fn`.

A record keeps the tensors of the call that made it (their shapes and dtypes check each
gradient, and the listing names them), so it holds one step's arrays per signature.

`traced.forward(*inputs)` runs the record on arrays without building a graph: a `Pass`
whose `.output` is fn's output array and whose `.gradients(dz, wrt)` runs the record's
backward into the gradients of the tensors `wrt` (`fit` and `fit_stacked` run each step so).

`traced.listing()` prints the record as the course writes a net by hand: the forward
lines, then the backward lines.
"""
import numpy as np

from .engine import Function, Tensor, _fit, _graph, _input_grads, _tape, is_grad_enabled
from .formulas import course_letters, rule_of


class _Op:
    """One recorded op call: its Function, where its inputs are read from, its settings."""
    __slots__ = ("function", "inputs", "settings", "from_inputs", "needs_input_grad", "parents", "output",
                 "grad_to", "index")

    def __init__(self, ctx, slots, output, arrays_of_inputs, index):
        self.function, self.index = type(ctx), index
        self.inputs = [slots[id(parent)] for parent in ctx.parents]
        self.needs_input_grad = ctx.needs_input_grad
        self.parents = ctx.parents          # shapes and dtypes for the gradient checks (and Affine's bias test)
        self.output = output
        # A setting that is an input's own array (a loss's target) is read from that input at each replay.
        self.from_inputs = [(key, arrays_of_inputs[id(value)]) for key, value in ctx.settings.items()
                            if id(value) in arrays_of_inputs]
        self.settings = dict(ctx.settings)                 # the from_inputs entries are set at each replay
        # (position, where) for each input that takes a gradient: where ≥ 0 is the slot of a tensor fn
        # made (its gradient is pending), where < 0 the entry −1 − where of the gradients handed back.
        self.grad_to = []


class _Record:
    """The ops `fn` recorded for one signature, and where each value comes from."""

    def __init__(self, inputs, root, first_index):
        made = _recorded_since(root, first_index)           # the ops of this call, newest first
        outside = list(inputs)                              # tensors fn read but did not make: its inputs,
        slots = {id(t): i for i, t in enumerate(inputs)}    # then those it closed over, in the order it read them
        position_of_input = dict(slots)
        for t in reversed(made):
            for parent in t._ctx.parents:
                if id(parent) not in slots and not _made_in(parent, first_index):
                    slots[id(parent)] = len(outside)
                    outside.append(parent)
        self.inputs_at = [position_of_input.get(id(t)) for t in outside]     # None: held (closed over)
        self.held = [None if i is not None else t for i, t in zip(self.inputs_at, outside)]
        arrays_of_inputs = {id(t.data): slots[id(t)] for t in outside if id(t) in position_of_input}
        self.ops = []
        for t in reversed(made):
            slots[id(t)] = len(outside) + len(self.ops)
            self.ops.append(_Op(t._ctx, slots, slots[id(t)], arrays_of_inputs, len(self.ops)))
        self.size = len(outside) + len(self.ops)
        self.root = slots[id(root)]
        # The engine's backward, laid out once: each op in backward order, and for each input that
        # requires grad, where its gradient goes. Gradients for tensors made outside fn are handed
        # back in the order the engine would have added them, one entry each (a tensor used twice
        # gets two), so that the engine adds them into .grad exactly as in the eager run.
        self.to_outside = []
        op_at = {op.output: op for op in self.ops}
        self.backward_order = [op_at[slots[id(t)]] for t in made]
        for op in self.backward_order:
            for position, (parent, slot) in enumerate(zip(op.parents, op.inputs)):
                if not parent.requires_grad:
                    continue
                if slot in op_at:
                    op.grad_to.append((position, slot))
                else:
                    op.grad_to.append((position, -1 - len(self.to_outside)))
                    self.to_outside.append(slot)
        self.names = _names(made, outside, inputs, root)
        self.made = made

    def listing(self):
        forward = [self._line(t, 0) for t in reversed(self.made)]
        backward = [self._line(t, 1) for t in self.made]
        return "\n".join(["forward:"] + forward + ["backward:"] + [line for line in backward if line])

    def _line(self, t, part):
        """Forward (part 0) or backward (part 1) of t's op in the names of its tensors; an input
        that gets no gradient has no backward rule."""
        rule = rule_of(t, lambda tensor: self.names.get(id(tensor))) or t.op
        parts = rule.split(" · ", 1)
        return "  " + parts[part] if part < len(parts) else ""

    def parents(self, inputs):
        """The Replay node's inputs for this call: a tensor made outside fn once per gradient it
        takes (in the order the engine adds them), then every tensor fn read, once."""
        reads = self.reads(inputs)
        return [reads[slot] for slot in self.to_outside] + reads

    def reads(self, inputs):
        """Every tensor fn read, in slot order: this call's inputs and the tensors it closed over."""
        return [inputs[i] if i is not None else held for i, held in zip(self.inputs_at, self.held)]

    def gradients(self, reads, wrt, outside):
        """The gradient of each tensor in `wrt` from `run_backward`'s gradients (one per use),
        added in the engine's order; None for a tensor that got none. `reads`: the tensors
        this call read, in slot order."""
        summed = {}
        for slot, g in zip(self.to_outside, outside):
            if g is not None:
                before = summed.get(slot)
                summed[slot] = g if before is None else before + g
        slot_of = {id(t): slot for slot, t in enumerate(reads)}
        return [summed.get(slot_of.get(id(t))) for t in wrt]

    def run_forward(self, arrays):
        """Each op's own forward on arrays, in recording order, from the arrays of every tensor
        fn read (in slot order): (the output's array, each op call's record, by op index)."""
        values = [None] * self.size
        values[:len(self.held)] = arrays
        calls = []
        for op in self.ops:
            call = op.function()
            call.saved_tensors = ()
            call.parents, call.needs_input_grad = op.parents, op.needs_input_grad
            for key, slot in op.from_inputs:               # this call's target, in the settings dict
                op.settings[key] = values[slot]
            data = op.function.forward(call, *[values[slot] for slot in op.inputs], **op.settings)
            values[op.output] = data if type(data) is np.ndarray else np.asarray(data)
            calls.append(call)
        return values[self.root], calls

    def run_backward(self, calls, dz):
        """Each op's own backward from dz (the output's gradient), in the engine's order: the
        gradients of the tensors made outside fn, one per use, in the order of `to_outside`."""
        outside = [None] * len(self.to_outside)
        pending = {self.root: dz}
        for op in self.backward_order:
            dz_op = pending.pop(op.output, None)
            if dz_op is None:                               # no gradient reached this op
                continue
            call = calls[op.index]
            grads = _input_grads(call, dz_op, retain_graph=True)    # freed with the calls' owner
            for position, target in op.grad_to:
                g = grads[position]
                if g is None:
                    continue
                parent = op.parents[position]
                if type(g) is not np.ndarray or g.shape != parent.data.shape or g.dtype is not parent.data.dtype:
                    g = _fit(call, parent, g, dz_op)
                if target < 0:
                    outside[-1 - target] = g
                else:
                    summed = pending.get(target)
                    pending[target] = g if summed is None else summed + g
        return tuple(outside)


def _made_in(t, first_index):
    """Was t made by an op of this call (recorded after `first_index`)?"""
    return t._ctx is not None and t._ctx.tape_index > first_index


def _recorded_since(root, first_index):
    """The tensors the ops of this call made that root depends on, newest first: the tape of
    this call read backwards (backward_order, stopping at what was made before the call)."""
    found, seen = [root], {id(root)}
    for t in found:
        for parent in t._ctx.parents:
            if _made_in(parent, first_index) and id(parent) not in seen:
                seen.add(id(parent))
                found.append(parent)
    found.sort(key=lambda t: t._ctx.tape_index, reverse=True)
    return found


def _names(made, outside, inputs, root):
    """The names the listing writes: a tensor's own name, else the course's letters (W1, Z1, A1 …),
    a number by its value, the root as loss or output, an input as inputN."""
    names = {id(t): t.name for t in list(outside) + list(made) if t.name}
    parameters = {id(t) for t in outside if t.requires_grad and t.op is None}
    names.update(course_letters(reversed(made), parameters))        # a layer's "weight" is the course's W1
    for i, t in enumerate(inputs):
        names.setdefault(id(t), f"input{i}")
    for t in outside:
        if t.size == 1 and not t.requires_grad and t.op is None:
            names.setdefault(id(t), f"{t.data.item():g}")
    names.setdefault(id(root), "loss" if root.size == 1 else "output")
    return names


class Replay(Function):
    """A recorded program run as one node: forward runs each op's forward on arrays, backward
    each op's backward, in the orders and with the decisions the record made once."""
    op_name = "replay"
    formula = "the recorded ops, forward then backward (traced.listing())"

    def forward(ctx, *arrays, record):
        output, calls = record.run_forward(arrays[len(record.to_outside):])
        ctx.record = record
        ctx.save_for_backward(*calls)
        return output

    def backward(ctx, dz):
        return ctx.record.run_backward(ctx.saved_tensors, dz) + (None,) * len(ctx.record.held)


class Traced:
    """`trace(fn)`: call it as fn; `.listing()` shows what it recorded."""

    def __init__(self, fn):
        self.fn, self.records = fn, {}
        self.last = None

    def __call__(self, *inputs):
        if not is_grad_enabled() or _graph.anomaly:
            return self.fn(*inputs)                 # nothing to record, or every op must be checked as it runs
        tensors = _tensors(inputs)
        record = self.records.get(_signature(tensors))
        if record is None:
            return self._record(tensors)[0]
        self.last = record
        return Replay.apply(*record.parents(tensors), record=record)

    def forward(self, *inputs):
        """fn(*inputs) run on arrays by its record, with no graph built: a `Pass` holding the
        output array, whose `gradients(dz, wrt)` runs the record's backward. The first call for
        a signature records, as a call does; under detect_anomaly every call records afresh,
        so that each op is checked as it runs. It is for taking gradients, so not in no_grad."""
        if not is_grad_enabled():
            raise RuntimeError("trace: forward runs the record to take gradients, and grad mode is off (no_grad); "
                               "call the traced function itself for a value without gradients")
        tensors = _tensors(inputs)
        record = None if _graph.anomaly else self.records.get(_signature(tensors))
        if record is None:
            out, record = self._record(tensors)
            if record is None:
                raise RuntimeError("trace: fn recorded no op that takes a gradient: no input or tensor it read "
                                   "requires grad")
            return Pass(record, record.reads(tensors), out.data, [t._ctx for t in reversed(record.made)])  # as recorded
        self.last = record
        reads = record.reads(tensors)
        return Pass(record, reads, *record.run_forward([t.data for t in reads]))

    def _record(self, tensors):
        """Run fn through the engine and record its ops: (its output, the record, or None when
        fn recorded nothing and there is nothing to replay)."""
        first_index = next(_tape)
        out = self.fn(*tensors)
        if not isinstance(out, Tensor):
            raise TypeError(f"trace: fn must return one Tensor, got {type(out).__name__}")
        if out.op is None or out._ctx.tape_index < first_index:
            return out, None
        record = self.last = _Record(tensors, out, first_index)
        if not _graph.anomaly:
            self.records[_signature(tensors)] = record
        return out, record

    def listing(self):
        """The last record as the course writes a net by hand: forward lines, then backward lines."""
        if self.last is None:
            raise RuntimeError("trace: nothing recorded yet; call the traced function once first")
        return self.last.listing()


class Pass:
    """One forward of a record on arrays (`Traced.forward`): its output, and its backward."""

    def __init__(self, record, reads, output, calls):
        self.record, self.reads, self.output, self.calls = record, reads, output, calls

    def gradients(self, dz, wrt):
        """The gradients of the tensors `wrt` (those fn read, such as the parameters) from dz,
        the output's gradient, by each op's own backward in the engine's order; no `.grad` is
        touched. A tensor fn read twice gets its gradients added as the engine adds them; one
        fn did not read gets None. A gradient may be an op's own array (a view, or shared):
        copy it before changing it."""
        if dz.shape != self.output.shape or dz.dtype != self.output.dtype:
            raise ValueError(f"trace: dz has shape {dz.shape} and dtype {dz.dtype} but fn's output has shape "
                             f"{self.output.shape} and dtype {self.output.dtype}")
        return self.record.gradients(self.reads, wrt, self.record.run_backward(self.calls, dz))


def _tensors(inputs):
    """The inputs as Tensors (numbers and arrays become constants)."""
    for x in inputs:
        if not isinstance(x, Tensor):
            return tuple([x if isinstance(x, Tensor) else Tensor(x) for x in inputs])
    return inputs


def _signature(tensors):
    """What a record is kept for: each input's shape, dtype and whether it requires grad."""
    return tuple([(t.data.shape, t.data.dtype, t.requires_grad) for t in tensors])


def trace(fn):
    """Record `fn`'s ops on its first call for each signature and replay them on later calls."""
    return Traced(fn)
