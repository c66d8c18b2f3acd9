# The front door: `make dev` runs the server, `make test` runs every test, `make tool` installs catty.
.PHONY: build test dev bench format deps cli tool

build:
	dotnet build Catty.slnx

deps:
	bash scripts/install-deps.sh

dev:
	bash scripts/dev.sh $(ARGS)

test: deps
	bash scripts/test.sh

bench: deps
	bash scripts/bench.sh

format:
	dotnet format Catty.slnx

# The catty CLI from the repository: make cli ARGS="list --api http://127.0.0.1:5080"
cli:
	dotnet run --project src/Catty.Cli -c Release -- $(ARGS)

# Packs catty as a .NET tool into .artifacts/nupkg and installs (or updates) it for this user.
tool:
	dotnet pack src/Catty.Cli -c Release -o .artifacts/nupkg
	dotnet tool update --global --add-source .artifacts/nupkg catty
