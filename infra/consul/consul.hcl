# Single-node Consul agent (server) for a development or staging deployment; a production cluster runs three or
# five servers (bootstrap_expect) and a client agent on every host.
datacenter = "chuanyu"
data_dir   = "/consul/data"
server     = true
bootstrap_expect = 1
client_addr = "0.0.0.0"
log_level   = "INFO"

ui_config {
  enabled = true
}

# The apps register themselves (HTTP check on /actuator/health every 10 s, deregistered by Consul after a minute of
# failing checks, and by the app itself on a normal shutdown); nothing to declare here.
ports {
  http = 8500
  dns  = 8600
}

# Leave a stopped node quickly so its services stop being resolved.
leave_on_terminate = true
