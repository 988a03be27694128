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
	var c models.Case
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		c, err = a.claimNext(ctx, tx, actor, queueID)
		return err
	})
	return c, err
}
