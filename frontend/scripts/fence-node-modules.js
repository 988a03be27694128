// Some npm packages ship Go sources (flatted does, under golang/). Without a
// fence, `go build ./...`, `go vet ./...` and `go test ./...` in the parent Go
// module would treat node_modules as part of Docket. A go.mod here makes it a
// separate module, which `./...` patterns skip. Runs after every npm install/ci.
import { existsSync, writeFileSync } from 'node:fs';

if (existsSync('node_modules')) {
  writeFileSync('node_modules/go.mod', 'module docket.invalid/node_modules\n\ngo 1.21\n');
}
