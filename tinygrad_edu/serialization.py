"""save/load of state dicts as .npz files: never pickle, written atomically."""
import os
import tempfile
import zipfile

import numpy as np

# A key no parameter name can take (names are dotted identifiers), marking our files.
_MARK = "__tinygrad_edu_state__"


def save(state_dict, path):
    """Write name → array to `path` (an .npz file). A crash mid-write leaves the old file intact."""
    arrays = {}
    for name, value in state_dict.items():
        if not isinstance(name, str) or name == _MARK:
            raise ValueError(f"save: keys must be parameter names, got {name!r}")
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"save: {name!r} has dtype {array.dtype}; only numeric arrays are saved (never pickle)")
        arrays[name] = array
    arrays[_MARK] = np.array(1)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def load(path):
    """Read a file written by `save` back into name → array; anything else is a ValueError."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as file:
            archive = np.load(file, allow_pickle=False)
            if not hasattr(archive, "files"):
                raise ValueError("it holds a single array, not a state dict")
            with archive:
                state = {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"load: {path} is not a readable tinygrad_edu state file ({error})") from None
    if _MARK not in state:
        raise ValueError(f"load: {path} was not written by tinygrad_edu.save (it has no tinygrad_edu marker)")
    del state[_MARK]
    return state
