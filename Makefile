# `make demo` and `make test` do every set-up step themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install demo test docs bench graphviz mnist chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the package metadata changes.
$(INSTALLED): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot,dask,notebook]'
	touch $@

# $(call apt_install,PACKAGE,WHAT IS MISSING): install a Debian package where apt-get can
# run as root; elsewhere say what to install.
define apt_install
if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
else \
  echo "$(2): install the package $(1) (apt-get install $(1), or your system's equivalent)"; \
fi
endef

# The graph drawings need graphviz's `dot`.
graphviz:
	@command -v dot >/dev/null 2>&1 || { $(call apt_install,graphviz,graphviz's dot is missing); }

# MNIST-format images for the 784-64-16-10 examples: Debian's Fashion-MNIST (MNIST digits
# are used instead when they are in ~/.cache/tinygrad_edu/digits or can be downloaded).
mnist:
	@[ -d /usr/share/datasets/fashion-mnist ] || { $(call apt_install,dataset-fashion-mnist,no MNIST-format data); }

# The backprop pages are tested in a real browser: Debian's headless Chromium and its driver.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || \
	  { $(call apt_install,chromium chromium-driver,headless Chromium is missing); }

# The virtualenv with the package and every extra (plot, notebook, dask, test), and graphviz's dot.
install: $(INSTALLED) graphviz

demo: $(INSTALLED) graphviz mnist
	$(BIN)/tinygrad-edu demo

# Where apt-get can install Chromium, the browser tests must run: a missing browser fails them.
BROWSER_REQUIRED := $(shell command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && echo required)
test: $(INSTALLED) graphviz mnist chromium
	CI=$${CI:-} TINYGRAD_EDU_BROWSER=$(BROWSER_REQUIRED) $(BIN)/python -m pytest -q

# Speed against hand-written numpy (and PyTorch, when it is installed in .venv).
bench: $(INSTALLED) graphviz mnist
	$(BIN)/python -m pip install --quiet -e '.[test,plot,dask,notebook,bench]'
	$(BIN)/python benchmarks/bench_nets.py
	$(BIN)/python benchmarks/floor_chain.py
	$(BIN)/python benchmarks/stacked_seeds.py
	$(BIN)/python benchmarks/stacked_floor.py
	$(BIN)/python benchmarks/bench_viz.py

# The pictures in README.md: the XOR net after one backward pass (gradients in red), drawn
# top to bottom to fit the page, and a screenshot of its backprop page in headless Chromium.
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --hide-scrollbars
docs: $(INSTALLED) graphviz chromium
	$(BIN)/python -c "from tinygrad_edu import viz; from tinygrad_edu.examples.graphs import xor_loss; \
	  loss = xor_loss(); loss.backward(); viz.draw_graph(loss, rankdir='TB').render('docs/xor_graph', format='svg', cleanup=True)"
	$(BIN)/tinygrad-edu explore xor --out out/xor_explorer.html
	chromium $(CHROMIUM_FLAGS) --user-data-dir=$$(mktemp -d) --window-size=1280,760 \
	  --screenshot=docs/xor_explorer.png "file://$(CURDIR)/out/xor_explorer.html#step=7"

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
