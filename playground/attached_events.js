// Gradio's page, reading its config: which events each component has, found once, not once per
// component (playground/early_page.py puts this first in the page, as a module importing
// Gradio's own core module, so that it runs before Gradio builds the page).
//
// Gradio's AppTree.find_attached_events(node, deps) runs for every component (twice: as the
// page is built and again as it reloads its config) and scans every event's targets for the
// component's id: components x targets lookups, each through a Svelte state proxy that wraps
// the dependencies. With this app's 362 components and 231 events that was a fifth of the
// main thread's work before the first plot. Here the first call of a pass indexes the events
// by target id, and each component's call reads its list: the same lists, in the same order
// (for each event, in order, the event name of its first target with that id), as Gradio's.
// The index lives for one pass (until the next microtask): a later pass, with events added or
// a new config, makes its own. With another Gradio (no AppTree, or a method of another shape)
// nothing is changed.
import { AppTree } from "__CORE__";

const proto = AppTree && AppTree.prototype;
const original = proto && proto.find_attached_events;
if (typeof original === "function" && original.length === 2 && !original.unrolledIndexed) {
  const index = new WeakMap(); // deps -> Map(component id -> event names)

  function indexOf(deps) {
    let byId = index.get(deps);
    if (byId === undefined) {
      byId = new Map();
      for (const dep of deps) {
        const seen = new Set();
        for (const [id, event] of dep.targets) {
          if (seen.has(id)) continue; // Gradio takes an event's first target with the id
          seen.add(id);
          if (!byId.has(id)) byId.set(id, []);
          byId.get(id).push(event);
        }
      }
      index.set(deps, byId);
      queueMicrotask(() => index.delete(deps));
    }
    return byId;
  }

  const indexed = function find_attached_events(node, deps) {
    if (!node || !node.props || !node.props.shared_props || !Array.isArray(deps)) {
      return original.call(this, node, deps);
    }
    node.props.shared_props.attached_events = (indexOf(deps).get(node.id) || []).filter(Boolean);
    return node;
  };
  indexed.unrolledIndexed = true;
  indexed.original = original; // for the browser test that compares the two
  proto.find_attached_events = indexed;
}
