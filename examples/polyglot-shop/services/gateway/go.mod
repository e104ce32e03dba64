module example.com/shop/gateway

go 1.23

toolchain go1.23.4

require (
	github.com/go-chi/chi/v5 v5.1.0
	github.com/prometheus/client_golang v1.20.5
	golang.org/x/sync v0.8.0
)

require (
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/prometheus/client_model v0.6.1 // indirect
	github.com/prometheus/common v0.55.0 // indirect
	github.com/prometheus/procfs v0.15.1 // indirect
	golang.org/x/sys v0.22.0 // indirect
	google.golang.org/protobuf v1.34.2 // indirect
)

// The shared auth module lives in this repository.
replace example.com/shop/auth => ../auth

require example.com/shop/auth v0.0.0-00010101000000-000000000000

exclude golang.org/x/sync v0.7.0
