package app

import (
	"context"

	"github.com/docket-tns/docket/models"
)

// ClaimOneStatement is claim-next's one-statement fast path alone
// (claimed false: it declined and changed nothing).
func (a *App) ClaimOneStatement(ctx context.Context, actor Actor, queueID int64) (models.Case, bool, error) {
	return a.claimInOneStatement(ctx, actor, queueID)
}

// ClaimGeneral is claim-next's general path alone (a transaction in Go).
func (a *App) ClaimGeneral(ctx context.Context, actor Actor, queueID int64) (models.Case, error) {
	return a.claimInTx(ctx, actor, queueID)
}
