"""What an exercise's check reads from the live document (checks.py's `facts`): the graph's nodes and output,
the training settings and how the run stands. Read when asked, so a check about the graph never measures
the training run."""
from playground.graph.drawing import display_names


class DocumentFacts:
    def __init__(self, document):
        self.document = document

    def fact(self, quantity, node=None):
        """The number (or name, or yes/no) a condition tests, or None when it is not known."""
        if node is not None:
            return self._node(node, quantity)
        if quantity == "output":
            return self.document.graph.graph.root.data
        settings = self.document.training
        if quantity == "hidden_neurons":
            return sum(settings.hidden_layers)
        if quantity == "hidden_layers":
            return len(settings.hidden_layers)
        if quantity in ("dataset", "activation", "optimizer", "learning_rate"):
            return getattr(settings, quantity)
        if quantity == "loss_function":
            return settings.loss
        return self._run(quantity)

    def _node(self, name, quantity):
        graph = self.document.graph.graph
        names = display_names(graph.trace["nodes"])
        for n in graph.trace["nodes"]:
            if names[n["id"]] == name:
                return n["data"] if quantity == "value" else n["grad"]
        if name in graph.leaves:          # a leaf the output does not use (an answer box: `guess = 0.0`)
            return graph.leaves[name] if quantity == "value" else 0.0
        return None

    def _run(self, quantity):
        view = self.document.training_view
        run = view.run if view is not None else None
        if run is None:
            return 0 if quantity == "training_step" else False if quantity == "diverged" else None
        if quantity == "training_step":
            return run.step_count
        if quantity == "diverged":
            return bool(run.diverged)
        if not run.has_model:
            return None
        run.record_if_behind()
        key = "train_loss" if quantity == "loss" else quantity
        return (run.last_metrics or {}).get(key)
