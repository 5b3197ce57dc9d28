"""Learning-rate schedules of the course (12.3.3), stepped once per epoch like PyTorch's."""


class LRScheduler:
    """Sets each group's lr to schedule(base_lr, epoch) every `step()`."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.base_lrs = [group["lr"] for group in optimizer.param_groups]
        self.last_epoch = 0

    def schedule(self, base_lr, epoch):
        raise NotImplementedError

    def step(self):
        self.last_epoch += 1
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self.schedule(base, self.last_epoch)

    def get_last_lr(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {"base_lrs": list(self.base_lrs), "last_epoch": self.last_epoch}

    def load_state_dict(self, state):
        self.base_lrs, self.last_epoch = list(state["base_lrs"]), state["last_epoch"]


class StepLR(LRScheduler):
    """lr = lr0 · γ^⌊epoch / step_size⌋ (the course's step decay, e.g. 0.1·0.9^⌊t/50⌋)."""

    def __init__(self, optimizer, step_size, gamma=0.1):
        if step_size < 1:
            raise ValueError(f"StepLR: step_size must be ≥ 1, got {step_size}")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def schedule(self, base_lr, epoch):
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """lr = lr0 · γ^epoch."""

    def __init__(self, optimizer, gamma):
        self.gamma = gamma
        super().__init__(optimizer)

    def schedule(self, base_lr, epoch):
        return base_lr * self.gamma ** epoch
