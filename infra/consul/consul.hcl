# Single-node Consul agent (server) for a development or staging deployment; a production cluster runs three or
# five servers (bootstrap_expect) and a client agent on every host.
datacenter = "chuanyu"
data_dir   = "/consul/data"
server     = true
bootstrap_expect = 1
# Every interface of the container, so the services on the compose network reach it; the port is not published
# (docker-compose.yml), and nothing is answered without an ACL token (below).
client_addr = "0.0.0.0"
log_level   = "INFO"

ui_config {
  enabled = true
}

# Default deny: without a token, nothing can be read or registered (a rogue "audit-service" cannot join the
# catalogue and receive requests). Each service has a token whose policy lets it register only itself
# (../consul-policies/); the management and agent tokens come from the secret consul-acl.hcl, loaded as a second
# config file (see docker-compose.yml and README.md, "Consul ACLs").
acl {
  enabled                  = true
  default_policy           = "deny"
  down_policy              = "extend-cache"
  enable_token_persistence = true
}

# The apps register themselves (HTTP check on /actuator/health every 10 s, deregistered by Consul after a minute of
# failing checks, and by the app itself on a normal shutdown); nothing to declare here.
ports {
  http = 8500
  # No DNS interface: nothing here resolves through it, and the anonymous token may not read the catalogue anyway.
  dns  = -1
}

# Leave a stopped node quickly so its services stop being resolved.
leave_on_terminate = true
