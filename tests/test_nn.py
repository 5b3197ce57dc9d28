"""nn: registration, Linear and its inits, Sequential, loss modules, state dicts, save/load."""
import os
import pickle
import re
import stat
import zipfile

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, nn


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 3, seed=0)
        self.out = nn.Linear(3, 1, seed=1)
        self.scale = Tensor(1.0)            # no grad: not a parameter
        self.act = nn.Sigmoid()

    def forward(self, x):
        return self.out(self.act(self.hidden(x))) * self.scale


def test_parameters_and_modules_are_registered_by_assignment():
    net = TwoLayer()
    assert [name for name, _ in net.named_parameters()] == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert len(net.parameters()) == 4
    assert [type(m).__name__ for m in net.modules()] == ["TwoLayer", "Linear", "Linear", "Sigmoid"]
    net.out = nn.Sigmoid()        # reassigning replaces the registration
    assert [name for name, _ in net.named_parameters()] == ["hidden.weight", "hidden.bias"]
    del net.hidden
    assert net.parameters() == []


def test_forgetting_super_init_is_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(1, 1)

    with pytest.raises(RuntimeError, match="call super\\(\\).__init__\\(\\)"):
        Broken()


def test_linear_is_the_course_layer():
    layer = nn.Linear(784, 64, seed=0)
    assert layer.weight.shape == (784, 64) and layer.bias.shape == (64,)
    assert np.all(layer.bias.data == 0)
    x = np.random.default_rng(0).normal(size=(5, 784))
    assert np.allclose(layer(x).data, x @ layer.weight.data + layer.bias.data)
    assert layer(x).op == "linear"
    assert nn.Linear(3, 2, bias=False).bias is None
    assert repr(layer) == "Linear(784→64)"


def test_inits_follow_the_course():
    n_in, n_out = 400, 300
    xavier = nn.Linear(n_in, n_out, init="xavier", seed=1).weight.data
    limit = np.sqrt(6 / (n_in + n_out))
    assert np.abs(xavier).max() <= limit and np.abs(xavier).max() > 0.99 * limit
    assert np.isclose(xavier.var(), limit ** 2 / 3, rtol=0.05)          # U(±L) has variance L²/3
    he = nn.Linear(n_in, n_out, init="he", seed=1).weight.data
    assert np.isclose(he.std(), np.sqrt(2 / n_in), rtol=0.05)
    normal = nn.Linear(n_in, n_out, init="normal", seed=1).weight.data
    assert np.isclose(normal.std(), 1.0, rtol=0.05)
    assert np.all(nn.Linear(n_in, n_out, init="zeros").weight.data == 0)
    with pytest.raises(ValueError, match="init must be one of"):
        nn.Linear(2, 2, init="glorot")


def test_seeded_inits_repeat_and_dtype_is_kept():
    a, b = nn.Linear(4, 3, seed=7), nn.Linear(4, 3, seed=7)
    assert np.array_equal(a.weight.data, b.weight.data)
    layer = nn.Linear(4, 3, dtype=np.float32)
    assert layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
    assert layer(np.ones((2, 4), dtype=np.float32)).dtype == np.float32


def test_sequential_indexing_and_forward():
    net = nn.Sequential(nn.Linear(2, 4, seed=0), nn.Tanh(), nn.Linear(4, 3, seed=1), nn.Softmax())
    assert len(net) == 4 and isinstance(net[1], nn.Tanh) and isinstance(net[-1], nn.Softmax)
    x = np.array([[0.5, -1.0]])
    expected = F.softmax(net[2](np.tanh(x @ net[0].weight.data + net[0].bias.data)))
    assert np.allclose(net(x).data, expected.data)
    assert [name for name, _ in net.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    with pytest.raises(TypeError, match="item 1 is a function, not a Module"):
        nn.Sequential(nn.Tanh(), lambda z: z)


def test_activation_and_loss_modules_match_functional():
    z = Tensor([[0.5, -2.0, 1.0]])
    assert np.array_equal(nn.Sigmoid()(z).data, F.sigmoid(z).data)
    assert np.array_equal(nn.ReLU()(z).data, F.relu(z).data)
    assert np.array_equal(nn.LeakyReLU(0.2)(z).data, F.leaky_relu(z, 0.2).data)
    assert np.array_equal(nn.Softmax(axis=1)(z).data, F.softmax(z, axis=1).data)
    y = np.array([2])
    assert nn.CrossEntropyLoss()(z, y).item() == F.cross_entropy(z, y).item()
    assert nn.CrossEntropyLoss(weight=np.ones(3), reduction="sum")(z, y).item() == F.cross_entropy(z, y).item()
    assert nn.MSELoss(reduction="sum")(z, np.zeros((1, 3))).item() == 5.25
    assert nn.HalfMSELoss(reduction="sum")(z, np.zeros((1, 3))).item() == 5.25 / 2
    p, t = Tensor([[0.2], [0.9]]), np.array([[0.0], [1.0]])
    assert nn.BCELoss()(p, t).item() == F.binary_cross_entropy(p, t).item()
    assert (nn.BCEWithLogitsLoss(pos_weight=2.0)(p, t).item()
            == F.binary_cross_entropy_with_logits(p, t, pos_weight=2.0).item())


def test_train_eval_and_zero_grad():
    net = TwoLayer()
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net(np.ones((1, 2))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_state_dict_round_trip_copies():
    a, b = TwoLayer(), TwoLayer()
    for p in b.parameters():
        p.data += 1
    state = a.state_dict()
    state["out.bias"][0] = 42.0                   # a copy: the model is untouched
    assert a.out.bias.data[0] == 0.0
    b.load_state_dict(a.state_dict())
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        assert np.array_equal(p.data, q.data), name


def test_load_state_dict_strict_errors_write_nothing():
    net = TwoLayer()
    before = net.state_dict()
    state = net.state_dict()
    state["hidden.weight"] = state["hidden.weight"] + 1
    del state["out.bias"]
    state["extra"] = np.zeros(1)
    with pytest.raises(KeyError, match=r"missing keys \['out.bias'\], unexpected keys \['extra'\]"):
        net.load_state_dict(state)
    state = {name: value + 1 for name, value in before.items()}
    state["out.weight"] = np.zeros((1, 3))
    with pytest.raises(ValueError, match=r"'out.weight' has shape \(1, 3\) in the state dict but \(3, 1\)"):
        net.load_state_dict(state)
    for name, value in net.state_dict().items():       # nothing half-written
        assert np.array_equal(value, before[name]), name
    partial = {"hidden.bias": np.ones(3), "extra": np.zeros(1)}
    net.load_state_dict(partial, strict=False)
    assert np.all(net.hidden.bias.data == 1)


def test_save_and_load_round_trip(tmp_path):
    net = TwoLayer()
    path = tmp_path / "net.npz"
    tg.save(net.state_dict(), path)
    loaded = tg.load(path)
    assert loaded.keys() == net.state_dict().keys()
    fresh = TwoLayer()
    for p in fresh.parameters():
        p.data *= 0
    fresh.load_state_dict(loaded)
    assert all(np.array_equal(p.data, q.data) for p, q in zip(net.parameters(), fresh.parameters()))
    assert [f.name for f in tmp_path.iterdir()] == ["net.npz"]       # no temporary file left


def test_save_refuses_non_numeric_arrays(tmp_path):
    with pytest.raises(ValueError, match="only numeric arrays"):
        tg.save({"w": np.array([object()])}, tmp_path / "x.npz")
    assert not list(tmp_path.iterdir())


def test_a_truncated_file_is_refused(tmp_path):
    path = tmp_path / "net.npz"
    tg.save(TwoLayer().state_dict(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=f"load: {re.escape(str(path))} is not a readable tinygrad_edu checkpoint"):
        tg.load(path)


def test_a_pickle_bearing_npz_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, w=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="not a readable tinygrad_edu checkpoint") as error:
        tg.load(path)
    assert "allow_pickle" not in str(error.value)
    raw = tmp_path / "raw.pkl"
    raw.write_bytes(pickle.dumps({"w": np.ones(2)}))
    single = tmp_path / "single.npy"
    np.save(single, np.ones(2))
    text = tmp_path / "notes.txt"
    text.write_text("W1 = 0.5\n")
    for path in (raw, single, text):
        with pytest.raises(ValueError, match=f"^load: {re.escape(str(path))} is not a tinygrad_edu checkpoint") as error:
            tg.load(path)
        assert "allow_pickle" not in str(error.value)


def test_save_takes_a_module_and_the_users_permissions(tmp_path):
    net = TwoLayer()
    path = tmp_path / "net.npz"
    old = os.umask(0o027)
    try:
        tg.save(net, path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640                 # 0666 less the umask, not mkstemp's 0600
    loaded = tg.load(path)
    assert loaded.keys() == net.state_dict().keys()
    with pytest.raises(TypeError, match="expected a state dict .* or a Module, got list"):
        tg.save([1, 2], tmp_path / "list.npz")


def test_save_into_a_missing_folder_names_the_users_path(tmp_path):
    path = tmp_path / "nodir" / "net.npz"
    with pytest.raises(OSError) as error:
        tg.save(TwoLayer(), path)
    assert str(path) in str(error.value) and ".tmp-" not in str(error.value)
    assert not (tmp_path / "nodir").exists()
    with pytest.raises(FileNotFoundError, match="missing.npz"):
        tg.load(tmp_path / "missing.npz")


def test_module_to_changes_the_parameters_dtype():
    net = nn.Sequential(nn.Linear(3, 4, seed=0), nn.Sigmoid(), nn.Linear(4, 1, seed=1))
    before = net.state_dict()
    assert net.float() is net and all(p.dtype == np.float32 for p in net.parameters())
    assert all(np.allclose(net.state_dict()[k], v, rtol=1e-6) for k, v in before.items())
    assert net(Tensor(np.ones((2, 3), dtype=np.float32))).dtype == np.float32
    with pytest.raises(TypeError, match=r"X is float64 but W is float32: convert X .* or the model \(model.to\(np.float64\)\)"):
        net(Tensor(np.ones((2, 3))))
    net.double()
    assert all(p.dtype == np.float64 for p in net.parameters()) and net(Tensor(np.ones((2, 3)))).dtype == np.float64
    assert net(Tensor(np.ones((2, 3), dtype=np.int64))).dtype == np.float64       # integer data is read as W's dtype
    with pytest.raises(TypeError, match="floating dtype"):
        net.to(np.int32)


def test_a_foreign_npz_is_refused(tmp_path):
    path = tmp_path / "course.npz"
    np.savez(path, weights=np.ones((2, 2)), bias=np.zeros((1, 2)))
    with pytest.raises(ValueError, match="was not written by tinygrad_edu.save"):
        tg.load(path)
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValueError, match="not written by tinygrad_edu.save"):
        tg.load(tmp_path / "other.zip")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_trained_float32_or_float64_net_comes_back_bit_for_bit(tmp_path, dtype):
    net = nn.Sequential(nn.Linear(3, 4, seed=0, dtype=dtype), nn.Sigmoid(), nn.Linear(4, 2, seed=1, dtype=dtype))
    rng = np.random.default_rng(0)
    for p in net.parameters():                        # biases are not zero, as after training
        p.data[...] = rng.normal(size=p.shape).astype(dtype)
    tg.save(net, tmp_path / "net.npz")
    fresh = nn.Sequential(nn.Linear(3, 4, seed=5, dtype=dtype), nn.Sigmoid(), nn.Linear(4, 2, seed=6, dtype=dtype))
    fresh.load_state_dict(tg.load(tmp_path / "net.npz"))
    for (name, p), (_, q) in zip(net.named_parameters(), fresh.named_parameters()):
        assert q.dtype == dtype and np.array_equal(p.data, q.data), name
    assert np.any(fresh[2].bias.data != 0)
    x = rng.normal(size=(5, 3)).astype(dtype)
    assert np.array_equal(fresh(x).data, net(x).data)


def test_a_stack_holds_each_model_as_views_of_its_slice():
    models = [nn.Sequential(nn.Linear(2, 3, seed=s), nn.Tanh(), nn.Linear(3, 1, seed=10 + s)) for s in range(3)]
    models[1][2].bias.data[...] = 0.5
    X = np.random.default_rng(0).normal(size=(4, 2))
    alone = [model(Tensor(X)).data for model in models]
    stacked = nn.stack(models)
    assert [p.shape for p in stacked.parameters()] == [(3, 2, 3), (3, 1, 3), (3, 3, 1), (3, 1, 1)]
    together = stacked(Tensor(X)).data
    assert all(np.array_equal(together[k], alone[k]) for k in range(3))
    models[2][0].weight.data -= 1.0                       # an update in place of one run's parameter …
    assert np.array_equal(stacked[0].weight.data[2], models[2][0].weight.data)    # … is an update of the stack
    assert np.array_equal(stacked(Tensor(X)).data[2], models[2](Tensor(X)).data)
    assert "Linear(2→3, 3 runs side by side)" in repr(stacked) and "runs" not in repr(models[0])


def test_a_stack_refuses_nets_of_other_shapes_and_other_layers():
    with pytest.raises(ValueError, match=r"stack: model 1 is Linear 1→4 float64 → Sigmoid\(\) but model 0 is "
                                         r"Linear 1→3 float64 → Sigmoid\(\); only nets of one shape"):
        nn.stack([nn.Sequential(nn.Linear(1, 3), nn.Sigmoid()), nn.Sequential(nn.Linear(1, 4), nn.Sigmoid())])
    with pytest.raises(TypeError, match=r"stack: Softmax is not a layer a stack can hold"):
        nn.stack([nn.Sequential(nn.Linear(1, 3), nn.Softmax(axis=0))])

    class Doubler(nn.Module):
        def forward(self, x):
            return x * 2
    with pytest.raises(TypeError, match=r"stack: Doubler is not a layer a stack can hold"):
        nn.stack([nn.Sequential(nn.Linear(1, 3), Doubler())])
    with pytest.raises(ValueError, match=r"stack: got no models"):
        nn.stack([])
