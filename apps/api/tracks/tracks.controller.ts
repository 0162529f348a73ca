import { BadRequestException, Body, Controller, Get, Inject, Param, Patch, Post, Put, Query, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BookletAssignment, TracksService } from '../../../libs/modules/numbers';
import { SellersService } from '../../../libs/modules/sellers';
import { AdminOnly, FinanceActs } from '../auth/auth.decorators';
import { FileUpload } from '../http/file-upload';
import { requireUpload } from '../http/uploaded-file';
import { AssignBookletDto, BlankStartDto, TracksQueryDto } from './tracks.dto';

/** MOF number files are a few KB; anything past this is not one. */
const MAX_TRACK_FILE_BYTES = 1024 * 1024;

@ApiTags('number tracks (EINV410)')
@ApiBearerAuth()
@Controller('api/v1/sellers/:ban')
export class TracksController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(TracksService) private readonly tracks: TracksService,
  ) {}

  @Post('tracks/import')
  @AdminOnly()
  @FinanceActs()
  @FileUpload(MAX_TRACK_FILE_BYTES, 'the MOF number file (invnoapply*.csv, Big5 or UTF-8)')
  async import(@Param('ban') ban: string, @UploadedFile() upload: Express.Multer.File | undefined) {
    const file = requireUpload(upload, 'the MOF number file (invnoapply*.csv)');
    const seller = await this.sellers.getSeller(ban);
    return this.tracks.importFile(seller, file.buffer, file.originalname ?? null);
  }

  @Get('tracks')
  async list(@Param('ban') ban: string, @Query() query: TracksQueryDto) {
    const seller = await this.sellers.getSeller(ban);
    return { tracks: await this.tracks.list(seller, query.period) };
  }

  @Patch('booklets/:id')
  @AdminOnly()
  @FinanceActs()
  async assign(@Param('ban') ban: string, @Param('id') id: string, @Body() body: AssignBookletDto) {
    if (body.channelCode && body.thirdParty) {
      throw new BadRequestException({
        code: 'BOOKLET.ASSIGNMENT_AMBIGUOUS',
        message: 'give channelCode or thirdParty, not both',
        details: [{ field: 'thirdParty', code: 'BOOKLET.ASSIGNMENT_AMBIGUOUS', message: 'give channelCode or thirdParty, not both' }],
      });
    }
    const assignment: BookletAssignment = body.channelCode
      ? { channelCode: body.channelCode }
      : body.thirdParty
        ? { thirdParty: body.thirdParty }
        : { unassigned: true };
    return this.tracks.assign(await this.sellers.getSeller(ban), id, assignment);
  }

  @Put('booklets/:id/blank-start')
  @AdminOnly()
  @FinanceActs()
  async blankStart(@Param('ban') ban: string, @Param('id') id: string, @Body() body: BlankStartDto) {
    return this.tracks.setBlankStart(await this.sellers.getSeller(ban), id, body.blankStart);
  }
}
