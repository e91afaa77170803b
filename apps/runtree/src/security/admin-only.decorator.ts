import { SetMetadata } from '@nestjs/common';

export const ADMIN_ONLY = Symbol('ADMIN_ONLY');

/** The route (or every route of the controller) is an admin route: off without RUNTREE_ADMIN_TOKEN, and needs it. */
export const AdminOnly = (): ClassDecorator & MethodDecorator => SetMetadata(ADMIN_ONLY, true);
