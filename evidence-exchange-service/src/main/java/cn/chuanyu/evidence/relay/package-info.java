/**
 * Two regions (issue 15, docs/two-regions.md): evidence packages across the border. The origin node sends a sealed
 * package's manifest over the broker link ({@code evidence.sealed} with a link route) and serves its content on a
 * mutual-TLS connector to the pinned peer only; the destination node stores the recipient's replica, fetches the
 * content (streamed, resumable, verified against the manifest), and issues signed delivery evidences that cross
 * back. Transport only: the package rules stay in {@code evidencepackage}.
 */
package cn.chuanyu.evidence.relay;
