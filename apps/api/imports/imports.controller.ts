import { Controller, Get, HttpCode, Inject, Param, Post, StreamableFile, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { buildImportResultWorkbook } from '../../../libs/adapters/excel/import-result-workbook';
import { buildOrderTemplate } from '../../../libs/adapters/excel/order-template.writer';
import { OrderImportsService } from '../../../libs/modules/imports';
import { WorkflowStarter } from '../../../libs/adapters/temporal/workflow-starter';
import type { Principal } from '../../../libs/modules/sellers';
import { SellersService } from '../../../libs/modules/sellers';
import { FileUpload } from '../http/file-upload';
import { requireUpload } from '../http/uploaded-file';
import { CurrentPrincipal, FinanceActs, Public, ScopedInHandler, assertSameSeller } from '../auth/auth.decorators';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** 10,000 rows of orders fit in a few MB; a file far larger is not an order workbook. */
const MAX_WORKBOOK_BYTES = 20 * 1024 * 1024;

@ApiTags('order imports (EINV111)')
@ApiBearerAuth()
@Controller('api/v1')
export class ImportsController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(OrderImportsService) private readonly imports: OrderImportsService,
    @Inject(WorkflowStarter) private readonly starter: WorkflowStarter,
  ) {}

  @Get('templates/orders.xlsx')
  @Public()
  async template(): Promise<StreamableFile> {
    return new StreamableFile(await buildOrderTemplate(), { type: XLSX, disposition: 'attachment; filename="orders.xlsx"' });
  }

  /** Reads and checks the workbook: nothing is issued and no number is taken until the import is confirmed. */
  @Post('sellers/:ban/imports')
  @FinanceActs()
  @FileUpload(MAX_WORKBOOK_BYTES, 'the order workbook (.xlsx)')
  async preview(@Param('ban') ban: string, @UploadedFile() upload: Express.Multer.File | undefined, @CurrentPrincipal() principal: Principal) {
    const file = requireUpload(upload, 'the order workbook (.xlsx, from GET /api/v1/templates/orders.xlsx)');
    const seller = await this.sellers.getSeller(ban);
    return this.imports.preview(seller, principal.role === 'channel' ? principal.channelId : null, file.buffer, file.originalname ?? null);
  }

  @Post('imports/:id/confirm')
  @FinanceActs()
  @ScopedInHandler()
  @HttpCode(202)
  async confirm(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    assertSameSeller(principal, (await this.imports.sellerOf(id)).ban);
    await this.imports.markConfirmed(id);
    await this.starter.startImport(id);
    return this.imports.progress(id);
  }

  @Get('imports/:id')
  @ScopedInHandler()
  async progress(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    assertSameSeller(principal, (await this.imports.sellerOf(id)).ban);
    return this.imports.progress(id);
  }

  @Get('imports/:id/result.xlsx')
  @ScopedInHandler()
  async result(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    assertSameSeller(principal, (await this.imports.sellerOf(id)).ban);
    const workbook = await buildImportResultWorkbook(await this.imports.resultRows(id));
    return new StreamableFile(workbook, { type: XLSX, disposition: `attachment; filename="import-${id}-result.xlsx"` });
  }
}
