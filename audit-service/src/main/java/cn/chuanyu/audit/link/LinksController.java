package cn.chuanyu.audit.link;

import java.util.List;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators watch the link to the peer region's node and pause or resume this node's side of it. */
@Tag(name = "Operations: link", description = "The store-and-forward link to the other region's node "
        + "(operators)")
@RestController
@RequestMapping("/api/v1/ops/links")
class LinksController {

    private final LinkMonitor monitor;

    LinksController(LinkMonitor monitor) {
        this.monitor = monitor;
    }

    @Operation(operationId = "listLinks", summary = "The links to other nodes and what waits on them",
            description = "Per peer region: state (RUNNING; PAUSED: this node's Shovel removed by an operator; "
                    + "STARTING: the Shovel connecting, not running for less than chuanyu.link.ops.down-after, 15 s; "
                    + "DOWN: not running for longer, the peer broker unreachable or refusing), since when, the "
                    + "reason when not RUNNING (with the broker's last word on the Shovel), messages waiting each "
                    + "way, age in seconds of the oldest waiting to cross, and the last delivery seen. Empty on a "
                    + "node running both regions. Events held out of order on arrival: case-transfer-service's "
                    + "GET /api/v1/ops/link-pending.")
    @GetMapping
    List<LinkMonitor.Link> list(Caller caller) {
        caller.requireRole(Role.OPERATOR);
        return monitor.links();
    }

    @Operation(operationId = "getLink", summary = "The link to one peer region",
            description = "404 when the region is not this node's peer.")
    @GetMapping("/{peer}")
    LinkMonitor.Link one(Caller caller, @PathVariable String peer) {
        caller.requireRole(Role.OPERATOR);
        return monitor.link(peer);
    }

    @Operation(operationId = "pauseLink", summary = "Pause the link to a peer region",
            description = "Removes this node's Shovel: what crosses waits on this node, durably, until resumed. "
                    + "An audit entry (ops.link-paused); 409 if it is already paused, 404 for an unknown peer.")
    @PostMapping("/{peer}/pause")
    LinkMonitor.Link pause(Caller caller, @PathVariable String peer) {
        caller.requireRole(Role.OPERATOR);
        return monitor.pause(peer, caller.id());
    }

    @Operation(operationId = "resumeLink", summary = "Resume the link to a peer region",
            description = "Restores this node's Shovel from its kept definition: what waited crosses, in order. "
                    + "An audit entry (ops.link-resumed); 409 if it is not paused, 404 for an unknown peer.")
    @PostMapping("/{peer}/resume")
    LinkMonitor.Link resume(Caller caller, @PathVariable String peer) {
        caller.requireRole(Role.OPERATOR);
        return monitor.resume(peer, caller.id());
    }
}
