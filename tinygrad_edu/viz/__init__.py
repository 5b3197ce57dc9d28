"""Seeing backprop: graphviz drawings of a graph (drawing.py) and a page to step through it (explorer.py)."""
from .drawing import (DotNotFoundError, Graph, add_legend, backward_steps, collect, draw_graph, draw_module, is_number,
                      summary)
from .explorer import Explorer, explore

__all__ = ["draw_graph", "draw_module", "backward_steps", "explore", "Explorer", "collect", "is_number", "summary",
           "add_legend", "Graph", "DotNotFoundError"]
