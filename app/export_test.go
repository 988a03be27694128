package app

import (
	"context"

	"gorm.io/gorm"

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

// InReadTx is the read-only use cases' transaction.
func (a *App) InReadTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return a.inReadTx(ctx, fn)
}
