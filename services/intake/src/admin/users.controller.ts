import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@hotline/platform';
import { UsersAdminService } from './users.service';

/** Administration of users' access (users.service.ts says what each action does). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersAdminController {
  constructor(private readonly admin: UsersAdminService) {}

  @Post(':username/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The user can no longer log in; their tokens stop working within 30 s.' })
  deactivate(@Param('username') username: string) {
    return this.admin.setActive(username, false);
  }

  @Post(':username/activate')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The user can log in again.' })
  activate(@Param('username') username: string) {
    return this.admin.setActive(username, true);
  }

  @Post(':username/revoke-tokens')
  @HttpCode(200)
  @ApiOkResponse({ description: "The user's tokens stop working within 30 s; they log in again." })
  revoke(@Param('username') username: string) {
    return this.admin.revokeTokens(username);
  }

  @Delete(':username/lockout')
  @HttpCode(200)
  @ApiOkResponse({ description: "Clears the account's login lockout (not its client address's)." })
  unlock(@Param('username') username: string) {
    return this.admin.unlock(username);
  }
}
