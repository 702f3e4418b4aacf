import { Skeleton } from '../_components/Skeleton';

export default function Loading() {
  return (
    <div className="page-loading">
      <Skeleton lines={5} label="Loading the view" />
    </div>
  );
}
