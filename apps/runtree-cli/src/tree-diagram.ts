/** Anything drawn as a tree: a node and its children, in the order to draw them. */
export interface DiagramNode<T> {
  readonly value: T;
  readonly children: readonly DiagramNode<T>[];
}

/** The tree as indented lines with box-drawing branches, one line per node. */
export function renderTree<T>(root: DiagramNode<T>, label: (value: T) => string): string[] {
  const lines = [label(root.value)];
  const walk = (node: DiagramNode<T>, indent: string): void => {
    node.children.forEach((child, index) => {
      const last = index === node.children.length - 1;
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${label(child.value)}`);
      walk(child, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(root, '');
  return lines;
}

/** Nests items by their parent id; the roots are those whose parent is not among them, in the given order. */
export function nestByParent<T>(items: readonly T[], idOf: (item: T) => string, parentOf: (item: T) => string | undefined): DiagramNode<T>[] {
  const nodes = new Map(items.map((item) => [idOf(item), { value: item, children: [] as DiagramNode<T>[] }]));
  const roots: DiagramNode<T>[] = [];
  for (const item of items) {
    const node = nodes.get(idOf(item))!;
    const parentId = parentOf(item);
    const parent = parentId === undefined ? undefined : nodes.get(parentId);
    if (parent === undefined) roots.push(node);
    else parent.children.push(node);
  }
  return roots;
}
