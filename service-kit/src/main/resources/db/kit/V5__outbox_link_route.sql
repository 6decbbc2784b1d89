-- Two-region deployments: an event that must cross to the peer region names it (link_to, e.g. 'CQ') and, for an
-- exchange's own events, its place in that exchange's history (link_seq: 1, 2, 3 ...), so the receiving node can
-- apply them in order whatever order the link delivers them in. Both stay null on one node.
alter table outbox_event add column link_to text;
alter table outbox_event add column link_seq bigint;
