import { shortId } from '../format.js';

export interface LineageGraphProps {
  readonly manifestId: string;
  readonly dataset: { readonly sha256: string; readonly name?: string };
  readonly ancestors: readonly string[];
  readonly descendants: readonly string[];
}

const NODE_W = 150;
const NODE_H = 34;
const ROW = 48;
const COLUMNS = { parents: 10, self: 215, children: 420 } as const;
const WIDTH = 580;

/**
 * Parents on the left, this manifest in the middle with its dataset above it, children on the
 * right; every node but this one links to its page. Drawn on the server with fixed geometry,
 * so the page needs no script and the SVG's size is known before it paints (no layout shift).
 */
export function LineageGraph(props: LineageGraphProps) {
  const rows = Math.max(props.ancestors.length, props.descendants.length, 1);
  const height = ROW * (rows + 1) + 12;
  const selfY = ROW + ((rows - 1) * ROW) / 2;
  const edgeTo = (x1: number, y1: number, x2: number, y2: number) => (
    <path class="edge" d={`M${x1} ${y1} C${(x1 + x2) / 2} ${y1} ${(x1 + x2) / 2} ${y2} ${x2} ${y2}`} />
  );
  const node = (x: number, y: number, label: string, href?: string, kind = 'manifest') => {
    const box = (
      <g class={`node ${kind}`}>
        <rect x={x} y={y} width={NODE_W} height={NODE_H} rx={6} />
        <text x={x + NODE_W / 2} y={y + NODE_H / 2 + 5} text-anchor="middle">
          {label}
        </text>
      </g>
    );
    return href ? <a href={href}>{box}</a> : box;
  };
  return (
    <svg
      class="lineage"
      role="img"
      aria-labelledby="lineage-title"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width={WIDTH}
      height={height}
    >
      <title id="lineage-title">
        {`Lineage: ${props.ancestors.length} parent(s), ${props.descendants.length} child(ren), dataset ${props.dataset.name ?? shortId(props.dataset.sha256)}`}
      </title>
      {edgeTo(COLUMNS.self + NODE_W / 2, NODE_H + 6, COLUMNS.self + NODE_W / 2, selfY)}
      {props.ancestors.map((_, i) =>
        edgeTo(COLUMNS.parents + NODE_W, ROW + i * ROW + NODE_H / 2, COLUMNS.self, selfY + NODE_H / 2),
      )}
      {props.descendants.map((_, i) =>
        edgeTo(COLUMNS.self + NODE_W, selfY + NODE_H / 2, COLUMNS.children, ROW + i * ROW + NODE_H / 2),
      )}
      {node(
        COLUMNS.self,
        6,
        `dataset ${props.dataset.name ?? shortId(props.dataset.sha256)}`.slice(0, 22),
        `/ui?q=${props.dataset.sha256}`,
        'dataset',
      )}
      {props.ancestors.map((id, i) => node(COLUMNS.parents, ROW + i * ROW, shortId(id), `/ui/splits/${id}`))}
      {node(COLUMNS.self, selfY, shortId(props.manifestId), undefined, 'self')}
      {props.descendants.map((id, i) =>
        node(COLUMNS.children, ROW + i * ROW, shortId(id), `/ui/splits/${id}`),
      )}
    </svg>
  );
}
