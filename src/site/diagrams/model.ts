/**
 * The diagram model: boxes, nested groups and arrows, described by what they are (an interface,
 * a process, an API object…) rather than how they look. Graphviz lays them out at build time and
 * the site's stylesheet colours them by kind, so the same figure follows the light and dark
 * themes and re-lays itself out when its words change (a translation, a longer address).
 */

/** What a box stands for; each kind has its own look in diagrams.css. */
export type NodeKind =
  /** A network device: eth0, a veth end, a bridge, a tunnel device. */
  | 'device'
  /** A running program: a container, a daemon, a proxy. */
  | 'process'
  /** Something that exists only as an address or a rule, on no interface (a ClusterIP). */
  | 'virtual'
  /** A Kubernetes API object (Service, Gateway, NetworkPolicy…). */
  | 'object'
  /** Something outside the cluster: a laptop, the internet, a cloud load balancer. */
  | 'outside'
  /** A table of rules or records (iptables chains, resolv.conf, DNS records). */
  | 'table'
  /** Plain box. */
  | 'plain';

/** What a group (a box around boxes) stands for. */
export type GroupKind =
  /** A machine: a node, a laptop. */
  | 'host'
  /** A network namespace, e.g. a pod's sandbox. */
  | 'netns'
  /** A network, address range or cluster boundary. */
  | 'network'
  /** A Kubernetes namespace or any other logical grouping. */
  | 'scope';

/** What an arrow stands for. */
export type EdgeKind =
  /** Packets or requests travelling (arrow, accent colour). */
  | 'traffic'
  /** A cable-like link between devices (no arrow head). */
  | 'wire'
  /** One component configures, watches or calls another (dashed). */
  | 'control'
  /** One API object refers to another by name (dotted). */
  | 'reference'
  /** Traffic that is dropped or refused (red, blunt end). */
  | 'blocked'
  /** Not drawn: only places `to` a rank after `from` (to order boxes inside a group). */
  | 'invisible';

/** A line of a box: plain words, or code (addresses, names) set in the monospace font. */
export type DiagramLine = string | { code: string };

/** A box. */
export interface DiagramNode {
  /** Unique within the diagram; edges and groups refer to it. Letters, digits, `-` and `_`. */
  id: string;
  /** The first line, the box's name. */
  label: DiagramLine;
  /** Further lines, smaller and dimmer: an address, a port, a role. */
  detail?: DiagramLine[];
  /** @default 'plain' */
  kind?: NodeKind;
}

/** A box drawn around other boxes and groups. */
export interface DiagramGroup {
  id: string;
  /** Shown at the group's top left. */
  label: DiagramLine;
  /** Shown under the label, smaller. */
  detail?: DiagramLine[];
  /** @default 'scope' */
  kind?: GroupKind;
  /** Ids of the nodes and groups inside, in the order they should appear. */
  members: string[];
}

/** An arrow (or a plain line) between two boxes. */
export interface DiagramEdge {
  from: string;
  to: string;
  /** Words next to the arrow. */
  label?: DiagramLine | DiagramLine[];
  /** @default 'traffic' */
  kind?: EdgeKind;
  /** Arrow heads at both ends (a conversation, a pair of veth ends). */
  both?: boolean;
  /** Leave the edge out of the layout's ranking (it then does not push boxes apart). */
  loose?: boolean;
  /**
   * Put the arrow head at `from` instead of `to`. The layout still ranks `from` before `to`, so
   * a path can come back up (down one side of the picture to a network, up the other side).
   */
  reversed?: boolean;
}

/** A whole diagram. */
export interface DiagramGraph {
  /** `down` stacks ranks top to bottom, `right` left to right. @default 'down' */
  direction?: 'down' | 'right';
  nodes: DiagramNode[];
  groups?: DiagramGroup[];
  edges: DiagramEdge[];
  /** Pack boxes closer together (for long rows such as the headers of a packet). */
  compact?: boolean;
  /** Sets of node ids to keep on one rank (one row when `down`, one column when `right`). */
  sameRank?: string[][];
}

/** A diagram with the words that make it accessible. */
export interface Figure {
  /** Unique on its page; prefixes the SVG's ids. Lowercase letters, digits and `-`. */
  id: string;
  /** The accessible name: one short sentence saying what the picture shows. */
  title: string;
  /**
   * The long text alternative: everything a reader who cannot see the picture needs, in
   * sentences (what is where, what connects to what, which way traffic goes).
   */
  description: string;
  graph: DiagramGraph;
}
