import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SellersService } from '../../../libs/modules/sellers';
import { AdminOnly } from '../auth/auth.decorators';
import { CreateStaffKeyDto } from '../reconciliation/reconciliation.dto';

/** Keys for staff: admin, finance (tracks, imports, reconciliations) or viewer (read-only, e.g. a wall screen). */
@ApiTags('sellers')
@ApiBearerAuth()
@Controller('api/v1/api-keys')
export class StaffKeysController {
  constructor(@Inject(SellersService) private readonly sellers: SellersService) {}

  @Post()
  @AdminOnly()
  @HttpCode(201)
  async create(@Body() body: CreateStaffKeyDto) {
    const { key, record } = await this.sellers.createApiKey({ role: body.role, name: body.name.trim() });
    return { id: record.id, role: record.role, name: record.name, key, note: 'store this key now: it is not shown again' };
  }
}
