/** A leaf of an event as the matcher sees it: EventBridge matches only scalar JSON values. */
export type LeafValue = string | number | boolean | null;

/** A test of one leaf value, compiled from one entry of a pattern's value list. */
export type LeafPredicate = (value: LeafValue) => boolean;
