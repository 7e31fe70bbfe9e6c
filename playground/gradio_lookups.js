// Two of Gradio's lookups in its page, made once rather than once per component
// (playground/early_page.py puts this first in the page, as a module importing Gradio's own
// core module, so that it runs before Gradio reads its config). With another Gradio (no
// AppTree, or methods of another shape) nothing is changed.
//
// Both scanned everything for one component, through the Svelte state proxies that wrap
// Gradio's config, and were called for every component: with this app's 363 components and
// 231 events, components x events' targets (~87,000 proxied reads, twice) and, for each
// event's target and each first view, a walk of the tree. A sampling profile of the page put
// them at ~15% of the main thread's work before the first plot; side by side, the first plot
// came ~0.1-0.2 s sooner (playground/early_page.py has the numbers).
import { AppTree } from "__CORE__";

const proto = AppTree && AppTree.prototype;

// AppTree.find_attached_events(node, deps) (as the page is built, and again as it reloads its
// config): the names of the events that target `node`. Here the first call of a pass indexes
// the events by target id and each component's call reads its list: the same lists, in the
// same order (for each event, in order, the name of its first target with that id), as
// Gradio's. The index lives for one pass (until the next microtask): a later pass, with events
// added or a new config, makes its own.
const attached = proto && proto.find_attached_events;
if (typeof attached === "function" && attached.length === 2 && !attached.unrolled) {
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
      return attached.call(this, node, deps);
    }
    node.props.shared_props.attached_events = (indexOf(deps).get(node.id) || []).filter(Boolean);
    return node;
  };
  indexed.unrolled = true;
  indexed.original = attached; // for the browser test that compares the two
  proto.find_attached_events = indexed;
}

// AppTree.get_state(id) and AppTree.update_state(id, ...): a component's value, for each input
// of an event as it is sent (and, as the page starts, for each target of each event, which
// Gradio then drops: no event here has arguments); and a new value or property, for each
// output of an answer (the page's first views: 52 of them). Each begins `Z(this.root, id)`, a
// walk of the whole tree from its root to the component. Here the walk goes on where the last
// one stopped, each node it passes kept by id: the calls made together (an event's inputs, an
// answer's outputs, the page's start) walk the tree once between them. The walk lives until
// the next microtask (the tree may change after). Its order is Z's (depth first, children in
// order), so each id finds the node Z would. Gradio's own method still runs: its first read of
// `this.root` (Z's argument, as the method's source is checked to begin) gets that node (Z,
// given the node it looks for, returns it at once; given an empty node, null as it would).
const rootProp = proto && Object.getOwnPropertyDescriptor(proto, "root");
const FIRST = {  // how each method must begin for its first read of `root` to be Z's argument
  get_state: /^async get_state\(\w+\)\{let \w+=this\.#\w+\.get\(\w+\),\w+=\w+\(this\.root,\w+\)[,;]/,
  update_state: /^async update_state\(\w+,\w+,\w+=!0\)\{let \w+=\w+\(this\.root,\w+\)[,;]/,
};
const methods = proto ? Object.keys(FIRST).filter((name) => typeof proto[name] === "function"
  && !proto[name].unrolled && FIRST[name].test(String(proto[name]))) : [];
if (methods.length && rootProp && rootProp.get && rootProp.set && rootProp.configurable) {
  const NONE = Object.freeze({ id: {}, children: [] }); // no id is this object: Z returns null
  const walks = new WeakMap(); // tree -> its walk so far
  let armed = null; // the node that the next read of `root` gets

  Object.defineProperty(proto, "root", {
    configurable: true,
    enumerable: rootProp.enumerable,
    get() {
      if (armed !== null) {
        const node = armed;
        armed = null;
        return node;
      }
      return rootProp.get.call(this);
    },
    set(value) { rootProp.set.call(this, value); },
  });

  function find(tree, id) {
    let walk = walks.get(tree);
    if (walk === undefined) {
      walk = { byId: new Map(), stack: [tree] };
      walks.set(tree, walk);
      queueMicrotask(() => walks.delete(tree));
    }
    if (walk.byId.has(id)) return walk.byId.get(id);
    while (walk.stack.length) {
      const node = walk.stack.pop();
      if (!walk.byId.has(node.id)) walk.byId.set(node.id, node); // the first, as Z finds
      const children = node.children;
      if (children) for (let k = children.length - 1; k >= 0; k--) walk.stack.push(children[k]);
      if (node.id === id) return node;
    }
    return null;
  }

  for (const name of methods) {
    const original = proto[name];
    const walked = {
      [name](id, ...rest) {
        const tree = rootProp.get.call(this);
        if (!tree) return original.call(this, id, ...rest);
        armed = find(tree, id) || NONE;
        try {
          return original.call(this, id, ...rest);
        } finally {
          armed = null;
        }
      },
    }[name];
    walked.unrolled = true;
    walked.original = original; // for the browser test that compares the two
    proto[name] = walked;
  }
}
